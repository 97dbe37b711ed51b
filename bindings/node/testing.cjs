'use strict';
// `@rtms-rs/rtms/testing`: the simulator (rtms-sim), for users' own tests.
const native = require('./native.cjs');

/** A simulated Zoom RTMS server on 127.0.0.1. `await Simulator.start({scenario, speed})`. */
class Simulator {
  #sim;
  constructor(sim) {
    this.#sim = sim;
  }
  static async start(options = {}) {
    if (!native.hasSimulator()) throw new Error('this build of rtms has no simulator (feature `sim`)');
    return new Simulator(await native.Simulator.start(options));
  }
  get signalingUrl() {
    return this.#sim.signalingUrl;
  }
  get caPem() {
    return this.#sim.caPem;
  }
  /** Every meeting as a webhook would announce it: {meeting_uuid, rtms_stream_id, server_urls, ...}. */
  meetings() {
    return JSON.parse(this.#sim.meetings());
  }
  /** The join options of meeting `index`, for `client.join(...)`. */
  joinOptions(index = 0, extra = {}) {
    const m = this.meetings()[index];
    return { meeting_uuid: m.meeting_uuid, rtms_stream_id: m.rtms_stream_id, server_urls: m.server_urls, client: 'sim-client-id', secret: 'sim-client-secret', ...extra };
  }
  summary() {
    return JSON.parse(this.#sim.summary());
  }
  /** Resolves to the summary once every meeting ended, or null after `timeoutMs`. */
  async wait(timeoutMs) {
    const s = await this.#sim.wait(timeoutMs);
    return s === null ? null : JSON.parse(s);
  }
  endMeeting(stopReason = 6, index) {
    this.#sim.endMeeting(stopReason, index);
  }
  refuseNextHandshake(status) {
    this.#sim.refuseNextHandshake(status);
  }
  shutdown() {
    return this.#sim.shutdown();
  }
}

module.exports = { Simulator, default: Simulator };
