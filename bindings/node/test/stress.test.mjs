// 200 join/leave cycles: no growth in handles or memory beyond noise, and the process still
// exits by itself afterwards (node --test runs each file in its own process).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import rtms from '../index.js';
import { Simulator } from './helpers.mjs';

const LANES = 8;
const CYCLES = 200;

async function cycle(sim, index) {
  const c = new rtms.Client();
  c.onAudioData(() => {});
  c.join(sim.joinOptions(index));
  await c.joined;
  assert.equal(await c.leave(), true);
}

/** Runs cycles `from..to` on LANES concurrent lanes (each leave waits ~0.1 s for the server). */
async function run(sim, from, to) {
  let next = from;
  const lane = async () => {
    while (next < to) await cycle(sim, next++);
  };
  await Promise.all(Array.from({ length: LANES }, lane));
}

function snapshot() {
  globalThis.gc?.();
  return { handles: process.getActiveResourcesInfo().length, rss: process.memoryUsage().rss };
}

test(`join/leave ${CYCLES} times without growth`, { timeout: 120_000 }, async () => {
  const sim = await Simulator.start({ scenario: 'minimal', speed: 50, meetings: CYCLES + LANES });
  await run(sim, 0, LANES); // warm-up
  const before = snapshot();
  await run(sim, LANES, CYCLES + LANES);
  // Let the last sessions' event pumps and sockets wind down.
  await new Promise((r) => setTimeout(r, 300));
  const after = snapshot();
  if (process.env.RTMS_TEST_VERBOSE) console.log({ before, after });
  await sim.shutdown();
  assert.ok(after.handles <= before.handles + 2, `handles ${before.handles} -> ${after.handles}`);
  assert.ok(after.rss - before.rss < 40 * 1024 * 1024, `rss ${before.rss} -> ${after.rss}`);
});
