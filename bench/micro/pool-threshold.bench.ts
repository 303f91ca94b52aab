// Where does handing a produce batch to the pool start to pay? For gzip batches of growing
// size: inline prepareProduceBatch vs a pool round trip (copy in, move, validate, move back).
// Prints µs per batch for each; the crossover sets INLINE_MAX_BYTES in ts/pool/produce-validation.ts.
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { destroyWorkerPool, runPoolTask } from '../../ts/pool/pool.js';
import { prepareProduceBatch } from '../../ts/pool/tasks/prepare-produce-batch.js';
import { buildBatch } from '../../ts/protocol/record/batch-builder.js';

const plan = { targetCodec: null, requireKeys: false };
console.log(`# ${cpus()[0]?.model} x${cpus().length}, node ${process.version}`);
console.log('records  gzipBytes  inline_us  pool_us');
await runPoolTask('prepareProduceBatch', buildBatch([{ value: 'warm' }], { compression: 'gzip' }), plan);
for (const n of [4, 16, 64, 256, 1024]) {
  const built = buildBatch(Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: Buffer.concat([randomBytes(40), Buffer.alloc(60, i)]) })), { compression: 'gzip' });
  // A slice of a larger buffer, as a produce request's records are: the pool path copies it once.
  const frame = Buffer.concat([Buffer.alloc(64), built]);
  const batch = frame.subarray(64);
  const iters = Math.max(20, Math.floor(2000 / n));
  let t = performance.now();
  for (let i = 0; i < iters; i++) prepareProduceBatch(batch, plan);
  const inline = ((performance.now() - t) * 1000) / iters;
  t = performance.now();
  for (let i = 0; i < iters; i++) await runPoolTask('prepareProduceBatch', batch, plan);
  const pool = ((performance.now() - t) * 1000) / iters;
  console.log(`${String(n).padStart(7)}  ${String(batch.length).padStart(9)}  ${inline.toFixed(1).padStart(9)}  ${pool.toFixed(1).padStart(7)}`);
}
await destroyWorkerPool();
