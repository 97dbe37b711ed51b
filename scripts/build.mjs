#!/usr/bin/env node
// Builds the parts of rtms.  Usage: node scripts/build.mjs [target...]   (default: every target)
//
// Targets (the table below; a binding adds one entry):
//   rust   cargo build --workspace --release   (rtms-core, rtms-sim, rtms-cli, rtms-ffi, ...)
//   go     the C ABI static library (rtms-ffi), copied into bindings/go/lib/<os>_<arch>/

import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { CARGO_PROFILE, CARGO_PROFILE_FLAGS, ROOT, checkToolchains, formatDuration, interrupted, isMain, run, say } from './lib.mjs';

/**
 * Every build target: the toolchains it needs and the commands that build it, in order.
 * Test suites name the targets they need, so each is built once per `npm test`.
 */
export const BUILDS = {
  rust: {
    tools: ['cargo'],
    steps: [['cargo', ['build', '--workspace', ...CARGO_PROFILE_FLAGS]]],
  },
  // The C ABI as a static library, copied inside the Go module (a Go module holds only files
  // under its root), where bindings/go/cgo.go links it.
  go: {
    tools: ['go', 'cargo'],
    steps: [['cargo', ['build', '-p', 'rtms-ffi', ...CARGO_PROFILE_FLAGS]], copyGoLibrary],
  },
  // node:   { tools: ['node', 'cargo'], steps: [...] },   // planned: bindings/nodejs (napi-rs)
  // python: { tools: ['python', 'cargo'], steps: [...] }, // planned: bindings/python (maturin)
};

/** Go's name for this platform: `linux_amd64`, `darwin_arm64`, ... */
export function goPlatform() {
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch] || process.arch;
  return `${process.platform}_${arch}`;
}

/** Copies target/<profile>/librtms_ffi.a into bindings/go/lib/<os>_<arch>/. */
async function copyGoLibrary() {
  const from = join(ROOT, 'target', CARGO_PROFILE, 'librtms_ffi.a');
  const dir = join(ROOT, 'bindings', 'go', 'lib', goPlatform());
  mkdirSync(dir, { recursive: true });
  copyFileSync(from, join(dir, 'librtms_ffi.a'));
  say(`copied librtms_ffi.a to ${dir}`);
  return 0;
}

/** Builds one target; resolves to an exit code. */
export async function build(name) {
  const target = BUILDS[name];
  if (!target) {
    process.stderr.write(`unknown build target ${name}; known: ${Object.keys(BUILDS).join(', ')}\n`);
    return 2;
  }
  const problems = checkToolchains(target.tools);
  if (problems.length) {
    for (const p of problems) process.stderr.write(`${p}\n`);
    return 1;
  }
  say(`building ${name}`);
  for (const step of target.steps) {
    const code = typeof step === 'function' ? await step() : await run(...step);
    if (code !== 0 || interrupted()) return code || 130;
  }
  return 0;
}

async function main(argv) {
  const names = argv.length ? argv : Object.keys(BUILDS);
  for (const name of names) {
    const started = Date.now();
    const code = await build(name);
    if (code !== 0) {
      process.stderr.write(`build ${name} failed (exit ${code})\n`);
      return code;
    }
    say(`built ${name} in ${formatDuration(Date.now() - started)}`);
  }
  return 0;
}

if (isMain(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
