#!/usr/bin/env node
// Builds the parts of rtms.  Usage: node scripts/build.mjs [target...]   (default: every target)
//
// Targets (the table below; a binding adds one entry):
//   rust   cargo build --workspace --release   (rtms-core, rtms-sim, rtms-cli, rtms-ffi, ...)
//   go     the C ABI static library (rtms-ffi), copied into bindings/go/lib/<os>_<arch>/
//   node   the napi-rs addon (rtms-node) as bindings/node/rtms.node, and the package's dev deps
//   python the abi3 wheel (maturin), installed into a fresh venv (target/py-wheel-venv)

import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import {
  CARGO_PROFILE,
  CARGO_PROFILE_FLAGS,
  ROOT,
  VENV_PYTHON,
  checkToolchains,
  ensureVenv,
  findPython,
  formatDuration,
  interrupted,
  isMain,
  run,
  say,
} from './lib.mjs';

const NODE_DIR = join(ROOT, 'bindings', 'node');
const PY_DIR = join(ROOT, 'bindings', 'python');
const WHEEL_DIR = join(ROOT, 'target', 'wheels-rtms');
/** The venv the Python binding's tests run in: fresh, with only the wheel and test tools. */
export const WHEEL_VENV = join(ROOT, 'target', 'py-wheel-venv');
export const WHEEL_VENV_PYTHON =
  process.platform === 'win32' ? join(WHEEL_VENV, 'Scripts', 'python.exe') : join(WHEEL_VENV, 'bin', 'python');

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
  // The napi-rs addon, built by cargo (napi's own CLI is only needed to regenerate native.d.ts)
  // and copied next to the package's loader; then the package's dev dependencies (tsc).
  node: {
    tools: ['node', 'cargo'],
    steps: [
      ['cargo', ['build', '-p', 'rtms-node', ...CARGO_PROFILE_FLAGS]],
      copyNodeAddon,
      ['npm', ['ci', '--no-audit', '--no-fund'], { cwd: NODE_DIR }],
    ],
  },
  // One abi3 wheel (maturin), installed into a fresh venv: the tests exercise the wheel as a
  // user gets it.
  python: {
    tools: ['python', 'cargo'],
    steps: [
      ensureVenv,
      () => (rmSync(WHEEL_DIR, { recursive: true, force: true }), 0),
      [VENV_PYTHON, ['-m', 'maturin', 'build', '--release', '--out', WHEEL_DIR], { cwd: PY_DIR }],
      installWheel,
    ],
  },
};

/** Copies the built addon to bindings/node/rtms.node, where native.cjs loads it. */
async function copyNodeAddon() {
  const file = { linux: 'librtms_node.so', darwin: 'librtms_node.dylib', win32: 'rtms_node.dll' }[process.platform] || 'librtms_node.so';
  copyFileSync(join(ROOT, 'target', CARGO_PROFILE, file), join(NODE_DIR, 'rtms.node'));
  say(`copied ${file} to ${join(NODE_DIR, 'rtms.node')}`);
  return 0;
}

/** Creates the fresh wheel venv and installs the built wheel and the test tools into it. */
async function installWheel() {
  const wheels = readdirSync(WHEEL_DIR).filter((f) => f.endsWith('.whl'));
  if (wheels.length !== 1) {
    process.stderr.write(`expected one wheel in ${WHEEL_DIR}, found ${wheels.length}\n`);
    return 1;
  }
  const py = findPython();
  let code = await run(py, ['-m', 'venv', '--clear', WHEEL_VENV]);
  if (code !== 0) return code;
  code = await run(WHEEL_VENV_PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', join(WHEEL_DIR, wheels[0]), 'pytest>=8,<10', 'mypy>=1.10']);
  return code;
}

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
