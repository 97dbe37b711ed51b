// Shared helpers for the repo's scripts (Node >= 20, no npm dependencies).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (the folder holding Cargo.toml and package.json). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The cargo profile every script builds and tests with, so artifacts are built once. */
export const CARGO_PROFILE = 'release';
export const CARGO_PROFILE_FLAGS = ['--release'];

let interruptedBy = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interruptedBy = sig;
  });
}

/** The signal that interrupted this script (Ctrl-C, SIGTERM), or null. */
export function interrupted() {
  return interruptedBy;
}

/** Prints one progress line on stderr, visibly apart from the tools' own output. */
export function say(message) {
  process.stderr.write(`\n==> ${message}\n`);
}

/**
 * Runs a command with its output streaming through. Resolves to the exit code
 * (a signal counts as 128 + its number; a command that cannot start as 127).
 */
export function run(cmd, args = [], { cwd = ROOT, env = process.env } = {}) {
  process.stderr.write(`$ ${[cmd, ...args].join(' ')}\n`);
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd, env, stdio: 'inherit' });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const done = (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolvePromise(code);
    };
    child.on('error', (err) => {
      process.stderr.write(`cannot run ${cmd}: ${err.message}\n`);
      done(127);
    });
    child.on('exit', (code, signal) => done(code ?? 128 + (signalNumber(signal) ?? 0)));
  });
}

function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 }[signal];
}

/** Runs a command quietly and returns its trimmed stdout, or null when it fails. */
export function capture(cmd, args = [], { cwd = ROOT } = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return (r.stdout || '').trim();
}

/**
 * The toolchains the scripts know how to check. Each `check` returns null when the tool is
 * fine, or a one-line message naming the fix.
 */
export const TOOLCHAINS = {
  cargo: {
    check() {
      const v = capture('cargo', ['--version']);
      if (!v) return 'cargo not found: install Rust from https://rustup.rs';
      return null;
    },
    version: () => capture('cargo', ['--version']),
  },
  node: {
    check() {
      const major = Number(process.versions.node.split('.')[0]);
      if (major < 20) return `Node ${process.versions.node} is too old: install Node 20 or newer`;
      return null;
    },
    version: () => `node ${process.versions.node}`,
  },
  go: {
    check() {
      const v = capture('go', ['version']);
      if (!v) return 'go not found: install Go 1.24 or newer from https://go.dev/dl';
      if (!capture('cc', ['--version'])) return 'a C compiler (cc) is needed for cgo: install gcc or clang';
      return null;
    },
    version: () => capture('go', ['version']),
  },
  python: {
    check() {
      const py = findPython();
      if (!py) return 'python3 not found: install Python 3.11';
      return null;
    },
    version: () => {
      const py = findPython();
      return py ? `${py} ${capture(py, ['-c', 'import sys; print(sys.version.split()[0])'])}` : null;
    },
  },
};

/**
 * The Python used to create the repo's test venv: $RTMS_PYTHON, else python3.11 (Zoom's
 * official wheel for the conformance test is built for CPython 3.11), else python3.
 */
export function findPython() {
  const candidates = [process.env.RTMS_PYTHON, 'python3.11', 'python3'].filter(Boolean);
  for (const c of candidates) {
    if (capture(c, ['-c', 'import sys; assert sys.version_info >= (3, 9)']) !== null) return c;
  }
  return null;
}

/** Checks the named toolchains; returns a list of problems (empty when all are fine). */
export function checkToolchains(names) {
  const problems = [];
  for (const name of new Set(names)) {
    const tool = TOOLCHAINS[name];
    if (!tool) {
      problems.push(`unknown toolchain ${name}`);
      continue;
    }
    const problem = tool.check();
    if (problem) problems.push(problem);
    else say(`found ${tool.version()}`);
  }
  return problems;
}

/** The repo's test venv (`.venv`, gitignored) and its interpreter. */
export const VENV = join(ROOT, '.venv');
export const VENV_PYTHON =
  process.platform === 'win32' ? join(VENV, 'Scripts', 'python.exe') : join(VENV, 'bin', 'python');

/** Python packages the repo's test venv needs: pytest, and maturin + mypy for the Python binding. */
export const VENV_PACKAGES = ['pytest>=8,<10', 'maturin>=1.8,<2', 'mypy>=1.10'];
/** The modules those packages provide, checked to see whether the venv is complete. */
const VENV_MODULES = ['pytest', 'maturin', 'mypy'];

/**
 * Creates `.venv` if missing and installs what the test suites need into it.
 * Returns an exit code (0 = ready).
 */
export async function ensureVenv() {
  if (!existsSync(VENV_PYTHON)) {
    const py = findPython();
    if (!py) {
      process.stderr.write('python3 not found: install Python 3.11\n');
      return 1;
    }
    say(`creating the test venv ${VENV}`);
    const code = await run(py, ['-m', 'venv', VENV]);
    if (code !== 0) return code;
  }
  const missing = capture(VENV_PYTHON, ['-c', `import ${VENV_MODULES.join(', ')}`]) === null;
  if (missing) {
    say('installing test tools into .venv');
    return run(VENV_PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...VENV_PACKAGES]);
  }
  return 0;
}

/** True when the module with this `import.meta.url` is the script Node was started with. */
export function isMain(metaUrl) {
  return Boolean(process.argv[1]) && metaUrl === pathToFileURL(resolve(process.argv[1])).href;
}

/** Formats milliseconds as `12.3s` or `2m05s`. */
export function formatDuration(ms) {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}

/** Makes sure rustfmt and clippy are installed (rustup's minimal profile lacks them). */
export async function ensureRustComponents() {
  const missing = ['fmt', 'clippy'].filter((c) => capture('cargo', [c, '--version']) === null);
  if (!missing.length) return 0;
  say(`installing rust components: ${missing.join(', ')}`);
  return run('rustup', ['component', 'add', ...missing.map((c) => (c === 'fmt' ? 'rustfmt' : 'clippy'))]);
}
