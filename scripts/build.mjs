#!/usr/bin/env node
// Builds the parts of rtms.  Usage: node scripts/build.mjs [target...]   (default: every target)
//
// Targets (the table below; a binding adds one entry):
//   rust   cargo build --workspace --release   (rtms-core, rtms-sim, and everything in the workspace)

import { CARGO_PROFILE_FLAGS, checkToolchains, formatDuration, interrupted, isMain, run, say } from './lib.mjs';

/**
 * Every build target: the toolchains it needs and the commands that build it, in order.
 * Test suites name the targets they need, so each is built once per `npm test`.
 */
export const BUILDS = {
  rust: {
    tools: ['cargo'],
    steps: [['cargo', ['build', '--workspace', ...CARGO_PROFILE_FLAGS]]],
  },
  // node:   { tools: ['node', 'cargo'], steps: [...] },   // planned: bindings/nodejs (napi-rs)
  // python: { tools: ['python', 'cargo'], steps: [...] }, // planned: bindings/python (maturin)
  // go:     { tools: ['go', 'cargo'], steps: [...] },     // planned: bindings/go (cgo)
};

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
  for (const [cmd, args, opts] of target.steps) {
    const code = await run(cmd, args, opts);
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
