// LogManager integration: per-topic configs at load (configFor), the cleaner pass over compacted
// logs only, producer-id expiry on the retention tick.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildBatch } from '../protocol/record/batch-builder.js';
import type { CleanerLog } from './cleaner/log-cleaner.js';
import { LogCleaner } from './cleaner/log-cleaner.js';
import { logConfigOf } from './log-config.js';
import { LogManager } from './log-manager.js';
import { removeDir, tempDir } from './test-helpers.js';

test('configFor gives each existing topic its config when the logs load', async () => {
  const dir = tempDir();
  try {
    let lm = await LogManager.open({ logDirs: [dir], cleanerEnable: false });
    await lm.getOrCreateLog('a', 0);
    await lm.getOrCreateLog('b', 0);
    await lm.close();
    const compact = logConfigOf({ cleanupPolicy: 'compact', retentionBytes: 1234 });
    lm = await LogManager.open({ logDirs: [dir], cleanerEnable: false, configFor: (t) => (t === 'a' ? compact : undefined) });
    assert.is(lm.getLog('a', 0)!.config.retentionBytes, 1234);
    assert.is(lm.getLog('a', 0)!.config.cleanupPolicy, 'compact');
    assert.is(lm.getLog('b', 0)!.config.cleanupPolicy, 'delete');
    await lm.close();
  } finally { removeDir(dir); }
});

test('runCleaner offers only compacted logs to the cleaner; retention expires idle producers', async () => {
  const dir = tempDir();
  const offered: string[][] = [];
  class Spy extends LogCleaner {
    override runOnce(logs: Iterable<CleanerLog>): ReturnType<LogCleaner['runOnce']> {
      offered.push([...logs].map((l) => `${l.topic}-${l.partition}`).sort());
      return Promise.resolve([]);
    }
  }
  let now = 1_000_000;
  try {
    const lm = await LogManager.open({ logDirs: [dir], cleaner: new Spy(), cleanerBackoffMs: 60_000, producerIdExpirationMs: 1000, clock: () => now });
    await lm.getOrCreateLog('c', 0, logConfigOf({ cleanupPolicy: 'compact' }));
    await lm.getOrCreateLog('c', 1, logConfigOf({ cleanupPolicy: 'compact,delete' }));
    const plain = await lm.getOrCreateLog('d', 0);
    await lm.runCleaner();
    assert.equal(offered, [['c-0', 'c-1']]);
    await plain.append(buildBatch([{ value: 'x' }], { producerId: 4, producerEpoch: 0, baseSequence: 0, now }));
    assert.is(plain.producerState.producerCount, 1);
    await lm.runRetention(now + 500);
    assert.is(plain.producerState.producerCount, 1, 'not idle long enough');
    now += 2000;
    await lm.runRetention(now);
    assert.is(plain.producerState.producerCount, 0, 'expired after producer.id.expiration.ms');
    await lm.close();
  } finally { removeDir(dir); }
});

test.run();
