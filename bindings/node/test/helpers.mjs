// Shared test helpers: the simulator, CRC32 and per-kind accumulation of media callbacks.
import zlib from 'node:zlib';

export { Simulator } from '../testing.js';

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Incremental CRC32 (zlib.crc32 when the runtime has it, Node >= 20.15). */
export function crc32(buf, prev = 0) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buf, prev);
  let c = ~prev >>> 0;
  for (const b of buf) c = TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** `{kind: {packets, bytes, crc32}}` accumulator for media callbacks. */
export function mediaTally() {
  const acc = {};
  const add = (kind) => (buffer, size) => {
    const e = (acc[kind] ??= { packets: 0, bytes: 0, crc32: 0 });
    e.packets += 1;
    e.bytes += size;
    e.crc32 = crc32(buffer, e.crc32);
  };
  return { acc, add };
}

/** Resolves when `cb` is first called (for `onLeave`-style registrars). */
export function once(register) {
  return new Promise((resolve) => register((...args) => resolve(args)));
}

