#!/usr/bin/env node
// Runs the demo: the embedded simulator plays a meeting, rtms joins it and prints what arrives.
//
//   node scripts/demo.mjs [demo args...]      (npm run demo -- [demo args...])
//
// It is `cargo run --release -p rtms-core --example demo -- <args>`; cargo builds what it needs.

import { CARGO_PROFILE_FLAGS, checkToolchains, isMain, run } from './lib.mjs';

async function main(args) {
  const problems = checkToolchains(['cargo']);
  if (problems.length) {
    for (const p of problems) process.stderr.write(`${p}\n`);
    return 1;
  }
  return run('cargo', ['run', ...CARGO_PROFILE_FLAGS, '-p', 'rtms-core', '--example', 'demo', '--', ...args]);
}

if (isMain(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
