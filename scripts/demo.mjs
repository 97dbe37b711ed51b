#!/usr/bin/env node
// Runs the demo: the embedded simulator plays a meeting and announces it with a signed webhook;
// rtms joins, shows it live and records it under ./recordings.
//
//   node scripts/demo.mjs [demo args...]      (npm run demo -- [demo args...], e.g. --speed 4)
//
// It is `cargo run --release -p rtms-cli --bin rtms -- demo <args>`; cargo builds what it needs.

import { CARGO_PROFILE_FLAGS, checkToolchains, isMain, run } from './lib.mjs';

async function main(args) {
  const problems = checkToolchains(['cargo']);
  if (problems.length) {
    for (const p of problems) process.stderr.write(`${p}\n`);
    return 1;
  }
  return run('cargo', ['run', '--quiet', ...CARGO_PROFILE_FLAGS, '-p', 'rtms-cli', '--bin', 'rtms', '--', 'demo', ...args]);
}

if (isMain(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
