import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCheckpoint, OffsetCheckpointFile, parseEpochCheckpoint, parseOffsetCheckpoint } from './checkpoint-file.js';
import { LeaderEpochFileCache } from './leader-epoch-cache.js';
import { decodePartitionMetadata, encodePartitionMetadata } from './partition-metadata.js';
import { removeDir, tempDir } from './test-helpers.js';

test('offset checkpoint: Kafka text format, atomic write, round trip (topics with dashes)', async () => {
  const dir = tempDir();
  try {
    const f = new OffsetCheckpointFile(join(dir, 'recovery-point-offset-checkpoint'));
    assert.equal(f.read(), new Map());
    await f.write(new Map([['orders-0', 42], ['my-topic-12', 7]]));
    assert.is(readFileSync(f.path, 'latin1'), '0\n2\norders 0 42\nmy-topic 12 7\n');
    assert.equal(f.read(), new Map([['orders-0', 42], ['my-topic-12', 7]]));
    assert.is(existsSync(`${f.path}.tmp`), false);
    await f.write(new Map());
    assert.is(readFileSync(f.path, 'latin1'), '0\n0\n');
  } finally { removeDir(dir); }
});

test('malformed checkpoints throw CHECKPOINT_FORMAT naming the file and the problem', () => {
  const cases: [string, string][] = [
    ['', 'fewer than 2'], ['1\n0\n', 'version'], ['0\nx\n', 'count'], ['0\n2\na 0 1\n', 'count says 2'],
    ['0\n1\na 0\n', 'fields'], ['0\n1\na b 1\n', 'not an integer'], ['0\n1\na 0 99999999999999999999\n', 'safe integer'],
  ];
  for (const [text, why] of cases) {
    try { parseOffsetCheckpoint('/x/cp', text); assert.unreachable(text); } catch (e) {
      assert.is((e as { code: string }).code, 'CHECKPOINT_FORMAT', text);
      assert.match((e as Error).message, '/x/cp');
      assert.match((e as Error).message, why);
    }
  }
  assert.equal(parseEpochCheckpoint('p', '0\n2\n0 0\n3 120\n'), [{ epoch: 0, startOffset: 0 }, { epoch: 3, startOffset: 120 }]);
  assert.is(formatCheckpoint([[1, 2]]), '0\n1\n1 2\n');
});

test('leader epoch cache: assign, lookups, truncation from both ends, persistence', async () => {
  const dir = tempDir();
  try {
    const c = new LeaderEpochFileCache(dir);
    assert.is(c.load(), null);
    assert.ok(c.assign(0, 0));
    assert.ok(!c.assign(0, 10));
    assert.ok(c.assign(2, 50));
    assert.ok(c.assign(5, 90));
    assert.is(c.epochForOffset(49), 0);
    assert.is(c.epochForOffset(50), 2);
    assert.equal(c.endOffsetFor(2, 200), { epoch: 2, endOffset: 90 });
    assert.equal(c.endOffsetFor(4, 200), { epoch: 2, endOffset: 90 });
    assert.equal(c.endOffsetFor(5, 200), { epoch: 5, endOffset: 200 });
    await c.flush();
    assert.is(readFileSync(c.path, 'latin1'), '0\n3\n0 0\n2 50\n5 90\n');
    c.truncateFromEnd(90);
    c.truncateFromStart(60);
    assert.equal(c.entries, [{ epoch: 2, startOffset: 60 }]);
    await c.flush();
    const again = new LeaderEpochFileCache(dir);
    again.load();
    assert.equal(again.entries, [{ epoch: 2, startOffset: 60 }]);
    writeFileSync(c.path, 'junk');
    assert.match(new LeaderEpochFileCache(dir).load() ?? '', 'malformed');
  } finally { removeDir(dir); }
});

test('partition.metadata format', () => {
  const text = encodePartitionMetadata('7b3c1a52-2d4e-4a7b-9b7e-0c1d2e3f4a5b');
  assert.is(text, 'version: 0\ntopic_id: 7b3c1a52-2d4e-4a7b-9b7e-0c1d2e3f4a5b');
  assert.is(decodePartitionMetadata('p', text), '7b3c1a52-2d4e-4a7b-9b7e-0c1d2e3f4a5b');
  assert.throws(() => decodePartitionMetadata('p', 'version: 1\ntopic_id: x'), /malformed/);
});

test.run();
