'use strict';
// CommonJS entry: `require('@rtms-rs/rtms').default` (as the official README) and
// `const { Client } = require('@rtms-rs/rtms')` both work.
const rtms = require('./lib/rtms.cjs');

module.exports = { ...rtms, default: rtms };
