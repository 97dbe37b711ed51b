'use strict';
// The one error class of the package: native errors (code = the core's kind name) become
// `RtmsError`s with `code`, `rawCode` (the stable number) and, for refused handshakes, `status`.
const native = require('../native.cjs');

const rawCodes = Object.fromEntries(native.errorKinds().map((k) => [k.code, k.rawCode]));

class RtmsError extends Error {
  constructor(message, code = 'FAILURE', options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RtmsError';
    this.code = code;
    this.rawCode = options.rawCode ?? rawCodes[code] ?? -1;
    if (options.status !== undefined && options.status !== null) this.status = options.status;
  }

  /** From a native `ErrorInfo` ({code, rawCode, message, status}). */
  static fromInfo(info) {
    return new RtmsError(info.message, info.code, { rawCode: info.rawCode, status: info.status });
  }
}

/** Runs a native call, turning its errors into `RtmsError`s. */
function guard(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RtmsError || !(e instanceof Error) || typeof e.code !== 'string' || !(e.code in rawCodes)) throw e;
    throw new RtmsError(e.message, e.code, { cause: e });
  }
}

module.exports = { RtmsError, guard, rawCodes };
