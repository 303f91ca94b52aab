import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { FileBlockStore, ProducerIdManager, PRODUCER_ID_BLOCK_FILE } from './producer-id-manager.js';

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = fs.mkdtempSync(os.tmpdir() + '/samsa-');
    try { await fn(dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  };
}

test('ids are consecutive within a block, the block is persisted first, a restart starts a new block', withDir(async (dir) => {
  const m = new ProducerIdManager(new FileBlockStore(dir), 0);
  const ids = await Promise.all(Array.from({ length: 5 }, () => m.generateProducerId()));
  assert.equal(ids, [0, 1, 2, 3, 4]);
  assert.equal(JSON.parse(fs.readFileSync(join(dir, PRODUCER_ID_BLOCK_FILE), 'utf8')),
    { version: 1, broker: 0, block_start: '0', block_end: '999' });
  const m2 = new ProducerIdManager(new FileBlockStore(dir), 0);
  assert.is(await m2.generateProducerId(), 1000);
}));

test('crossing a block boundary allocates the next block (concurrent callers share one allocation)', withDir(async (dir) => {
  const m = new ProducerIdManager(new FileBlockStore(dir), 3);
  const ids = await Promise.all(Array.from({ length: 2500 }, () => m.generateProducerId()));
  assert.is(new Set(ids).size, 2500);
  assert.is(Math.min(...ids), 0);
  assert.is(Math.max(...ids), 2499);
  assert.equal(JSON.parse(fs.readFileSync(join(dir, PRODUCER_ID_BLOCK_FILE), 'utf8')).block_start, '2000');
}));

test('a malformed block file is refused with a message naming the file', withDir(async (dir) => {
  fs.writeFileSync(join(dir, PRODUCER_ID_BLOCK_FILE), '{"version":1}');
  const m = new ProducerIdManager(new FileBlockStore(dir), 0);
  try { await m.generateProducerId(); assert.unreachable(); } catch (e) {
    assert.match((e as Error).message, /producer-id-block is malformed/);
  }
}));

test('InitProducerId: non-transactional always gets a fresh id with epoch 0', withDir(async (dir) => {
  const m = new ProducerIdManager(new FileBlockStore(dir), 0);
  assert.equal(await m.initProducerId({ transactionalId: null, producerId: -1, producerEpoch: -1, apiVersion: 4 }), { producerId: 0, producerEpoch: 0 });
  assert.equal(await m.initProducerId({ transactionalId: null, producerId: 0, producerEpoch: 0, apiVersion: 4 }), { producerId: 1, producerEpoch: 0 });
}));

test('InitProducerId: transactional id keeps its producer id and bumps the epoch; stale callers are fenced', withDir(async (dir) => {
  const m = new ProducerIdManager(new FileBlockStore(dir), 0);
  const t = (producerId: number, producerEpoch: number, apiVersion = 4) => m.initProducerId({ transactionalId: 'tx', producerId, producerEpoch, apiVersion });
  assert.equal(await t(-1, -1), { producerId: 0, producerEpoch: 0 });
  assert.equal(await t(-1, -1), { producerId: 0, producerEpoch: 1 });
  assert.equal(await t(0, 1), { producerId: 0, producerEpoch: 2 });
  // retry of that re-init (client still holds epoch 1): same answer, no second bump
  assert.equal(await t(0, 1), { producerId: 0, producerEpoch: 2 });
  try { await t(0, 0); assert.unreachable(); } catch (e: any) { assert.is(e.errorCode, 90); }
  try { await t(0, 0, 3); assert.unreachable(); } catch (e: any) { assert.is(e.errorCode, 47); }
  assert.equal(await m.initProducerId({ transactionalId: 'other', producerId: -1, producerEpoch: -1, apiVersion: 1 }), { producerId: 1, producerEpoch: 0 });
}));

test.run();
