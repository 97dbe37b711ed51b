'use strict';
// Loads the native addon (crates/rtms-node): a local build first (`npm run build` writes
// rtms.<platform>-<arch>[-<abi>].node here), then a per-platform package.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

function abi() {
  if (process.platform !== 'linux') return process.platform === 'win32' ? '-msvc' : '';
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
  const glibc = report && report.header && report.header.glibcVersionRuntime;
  return glibc ? '-gnu' : '-musl';
}

function load() {
  const triple = `${process.platform}-${process.arch}${abi()}`;
  const candidates = [
    process.env.RTMS_NODE_ADDON,
    join(__dirname, `rtms.${triple}.node`),
    join(__dirname, 'rtms.node'),
  ].filter(Boolean);
  const errors = [];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    try {
      return require(file);
    } catch (e) {
      errors.push(`${file}: ${e.message}`);
    }
  }
  try {
    return require(`@rtms-rs/rtms-${triple}`);
  } catch (e) {
    errors.push(`@rtms-rs/rtms-${triple}: ${e.message}`);
  }
  const err = new Error(
    `rtms: no native addon for ${triple}. Build it with \`npm run build\` in bindings/node.\n  ${errors.join('\n  ')}`,
  );
  err.code = 'ERR_RTMS_NATIVE_MISSING';
  throw err;
}

module.exports = load();
