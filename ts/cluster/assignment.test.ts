import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assignReplicas } from './assignment.js';

test('Kafka rack-unaware round robin with fixed start and shift', () => {
  const a = assignReplicas([0, 1, 2, 3, 4], 10, 3, { startIndex: 0, shift: 0 });
  assert.equal(a, [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1], [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2]]);
});

test('every partition gets distinct replicas; leaders spread; RF > brokers refused', () => {
  const a = assignReplicas([3, 1, 2], 6, 3);
  for (const r of a) assert.is(new Set(r).size, 3);
  const leaders = a.map((r) => r[0]);
  for (const b of [1, 2, 3]) assert.is(leaders.filter((x) => x === b).length, 2);
  try { assignReplicas([1, 2], 1, 3); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'INVALID_REPLICATION_FACTOR'); }
});

test.run();
