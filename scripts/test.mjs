#!/usr/bin/env node
// Builds rtms and runs every test suite, then prints one summary.
//
//   node scripts/test.mjs                 every suite, in order
//   node scripts/test.mjs rust            a subset, by name
//   node scripts/test.mjs --list          the suites
//
// Each suite's output streams through as it runs. At the end: a table (suite, status,
// duration) and one line `N passed, N failed` counting suites. Exits non-zero if any failed.
// Extra arguments after `--` go to every suite's test runner.

import { join } from 'node:path';

import { BUILDS, WHEEL_VENV_PYTHON, build } from './build.mjs';
import {
  CARGO_PROFILE,
  CARGO_PROFILE_FLAGS,
  ROOT,
  VENV_PYTHON,
  checkToolchains,
  ensureRustComponents,
  ensureVenv,
  formatDuration,
  interrupted,
  isMain,
  run,
  say,
} from './lib.mjs';

const SIM_BIN = join(ROOT, 'target', CARGO_PROFILE, process.platform === 'win32' ? 'rtms-sim.exe' : 'rtms-sim');

/**
 * The test suites, run in this order. To add one (a binding, say), add an entry:
 *   name     what you type to run it alone
 *   builds   BUILDS targets it needs (built once, before the first suite that needs them)
 *   tools    toolchains to check first
 *   prepare  optional async setup; returns an exit code
 *   steps    commands to run; `extra` holds arguments given after `--`
 *   failIf   optional: exit code -> failure message (for runners whose "no tests" is not an error)
 */
export const SUITES = [
  {
    name: 'lint',
    builds: [],
    tools: ['cargo'],
    prepare: ensureRustComponents,
    steps: () => [
      ['cargo', ['fmt', '--all', '--check']],
      ['cargo', ['clippy', '--workspace', '--all-targets', ...CARGO_PROFILE_FLAGS, '--', '-D', 'warnings']],
    ],
  },
  {
    name: 'rust',
    builds: ['rust'],
    tools: ['cargo'],
    steps: (extra) => [['cargo', ['test', '--workspace', '--no-fail-fast', ...CARGO_PROFILE_FLAGS, ...extra]]],
  },
  {
    name: 'conformance',
    builds: ['rust'],
    tools: ['cargo', 'python'],
    prepare: ensureVenv,
    // The workspace build above made the simulator; the suite uses that binary as is.
    steps: (extra) => [
      [VENV_PYTHON, ['-m', 'pytest', 'tests/conformance', '-q', ...extra], { env: { ...process.env, RTMS_SIM_BIN: SIM_BIN } }],
    ],
    // pytest exits 5 when it collected no test: that must never pass silently.
    failIf: (code) => (code === 5 ? 'pytest collected no tests' : null),
  },
  {
    name: 'node',
    builds: ['node'],
    tools: ['node'],
    steps: (extra) => [['npm', ['test', ...(extra.length ? ['--', ...extra] : [])], { cwd: join(ROOT, 'bindings', 'node') }]],
  },
  {
    name: 'python',
    builds: ['python'],
    tools: ['python'],
    // From bindings/python, so `import rtms` is the installed wheel, not the source tree.
    steps: (extra) => [[WHEEL_VENV_PYTHON, ['-m', 'pytest', 'tests', '-q', ...extra], { cwd: join(ROOT, 'bindings', 'python') }]],
    failIf: (code) => (code === 5 ? 'pytest collected no tests' : null),
  },
  {
    name: 'go',
    builds: ['go'],
    tools: ['go'],
    steps: (extra) => [['go', ['test', '-race', '-count=1', './...', ...extra], { cwd: join(ROOT, 'bindings', 'go') }]],
  },
];

function parseArgs(argv) {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const extra = dash < 0 ? [] : argv.slice(dash + 1);
  return { own, extra };
}

async function runSuite(suite, extra, built) {
  const problems = checkToolchains(suite.tools);
  if (problems.length) return { ok: false, note: problems.join('; ') };

  for (const target of suite.builds) {
    if (!built.has(target)) built.set(target, await build(target));
    const code = built.get(target);
    if (code !== 0) return { ok: false, note: `build ${target} failed (exit ${code})` };
  }

  if (suite.prepare) {
    const code = await suite.prepare();
    if (code !== 0) return { ok: false, note: `setup failed (exit ${code})` };
  }

  say(`running suite ${suite.name}`);
  for (const [cmd, args, opts] of suite.steps(extra)) {
    const code = await run(cmd, args, opts);
    if (interrupted()) return { ok: false, note: `interrupted (${interrupted()})` };
    const special = suite.failIf?.(code);
    if (special) return { ok: false, note: special };
    if (code !== 0) return { ok: false, note: `exit ${code}` };
  }
  return { ok: true, note: '' };
}

function printSummary(results) {
  const rows = results.map((r) => [r.name, r.status, formatDuration(r.ms), r.note]);
  const head = ['suite', 'status', 'duration', 'note'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd();
  const out = [];
  out.push('', line(head), line(width.map((w) => '-'.repeat(w))));
  for (const row of rows) out.push(line(row));
  const passed = results.filter((r) => r.status === 'passed').length;
  out.push('', `${passed} passed, ${results.length - passed} failed`);
  process.stdout.write(`${out.join('\n')}\n`);
}

async function main(argv) {
  const { own, extra } = parseArgs(argv);
  if (own.includes('--help') || own.includes('-h') || own.includes('--list')) {
    process.stdout.write(`usage: node scripts/test.mjs [suite...] [-- runner args]\nsuites: ${SUITES.map((s) => s.name).join(', ')}\n`);
    return 0;
  }
  const unknown = own.filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length) {
    process.stderr.write(`unknown suite ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}\n`);
    return 2;
  }
  const selected = own.length ? SUITES.filter((s) => own.includes(s.name)) : SUITES;

  const problems = checkToolchains(['node']);
  if (problems.length) {
    for (const p of problems) process.stderr.write(`${p}\n`);
    return 1;
  }

  const built = new Map(); // build target -> exit code
  const results = [];
  for (const suite of selected) {
    const started = Date.now();
    let result;
    if (interrupted()) {
      result = { ok: false, note: 'not run: interrupted' };
    } else {
      try {
        result = await runSuite(suite, extra, built);
      } catch (err) {
        result = { ok: false, note: `error: ${err.message}` };
      }
    }
    results.push({ name: suite.name, status: result.ok ? 'passed' : 'FAILED', ms: Date.now() - started, note: result.note });
  }
  printSummary(results);
  return results.every((r) => r.status === 'passed') ? 0 : 1;
}

if (isMain(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}

export { BUILDS };
