// ESM entry of `@rtms-rs/rtms/testing`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Simulator } = require('./testing.cjs');

export { Simulator };
export default Simulator;
