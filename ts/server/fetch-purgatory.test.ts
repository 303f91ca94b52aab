import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FetchPurgatory, tpKey } from './fetch-purgatory.js';

test('completes when enough bytes arrive on the watched partitions', async () => {
  const p = new FetchPurgatory();
  const order: string[] = [];
  const w = p.wait([tpKey('a', 0), tpKey('b', 1)], 100, 60_000).then((r) => order.push(r));
  assert.is(p.size, 1);
  p.notify(tpKey('a', 0), 40);
  p.notify(tpKey('c', 0), 1000); // not watched
  await Promise.resolve();
  assert.equal(order, []);
  p.notify(tpKey('b', 1), 60);
  await w;
  assert.equal(order, ['data']);
  assert.is(p.size, 0);
});

test('times out when nothing arrives', async () => {
  const p = new FetchPurgatory();
  const r = await p.wait([tpKey('a', 0)], 1, 5);
  assert.is(r, 'timeout');
  assert.is(p.size, 0);
});

test('zero bytes needed or no keys resolves at once', async () => {
  const p = new FetchPurgatory();
  assert.is(await p.wait([tpKey('a', 0)], 0, 60_000), 'data');
  assert.is(await p.wait([], 10, 60_000), 'data');
});

test('completeAll wakes everyone with shutdown and later waits resolve immediately', async () => {
  const p = new FetchPurgatory();
  const a = p.wait([tpKey('a', 0)], 10, 60_000);
  const b = p.wait([tpKey('a', 0), tpKey('b', 0)], 10, 60_000);
  p.completeAll();
  assert.equal(await Promise.all([a, b]), ['shutdown', 'shutdown']);
  assert.is(await p.wait([tpKey('a', 0)], 10, 60_000), 'shutdown');
  assert.is(p.size, 0);
});

test('one notify completes several waiters on the same partition exactly once', async () => {
  const p = new FetchPurgatory();
  const results: string[] = [];
  const ws = [1, 2, 3].map((n) => p.wait([tpKey('t', 0)], n * 10, 60_000).then((r) => results.push(`${n}:${r}`)));
  p.notify(tpKey('t', 0), 20);
  p.notify(tpKey('t', 0), Infinity);
  await Promise.all(ws);
  assert.equal(results.sort(), ['1:data', '2:data', '3:data']);
  assert.is(p.size, 0);
});

test.run();
