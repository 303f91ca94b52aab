// Test fixture: run in a worker_threads Worker by crc32c.test.ts to prove the addon loads and
// runs inside workers (piscina). Plain .mjs so the worker needs no loader flags: it registers
// tsx itself, then imports the TS wrapper. Posts crc32c("123456789") and the implementation.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { crc32c, crc32cImplementation } = await import('./crc32c.ts');
parentPort?.postMessage([crc32c(new TextEncoder().encode('123456789')), crc32cImplementation()]);
