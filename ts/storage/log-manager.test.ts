import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logConfigOf } from './log-config.js';
import { LogManager } from './log-manager.js';
import { makeBatch, removeDir, tempDir } from './test-helpers.js';

test('meta.properties, checkpoints, clean-shutdown marker, reopen without recovery', async () => {
  const dir = tempDir();
  try {
    const m = await LogManager.open({ logDirs: [dir], brokerId: 1, clusterId: 'abc' });
    const a = await m.getOrCreateLog('orders', 0, logConfigOf({ segmentBytes: 1000 }), '5a3c7e7e-0000-4000-8000-000000000001');
    const b = await m.getOrCreateLog('my-topic', 3);
    for (let i = 0; i < 10; i++) await a.append(makeBatch(3, `a${i}`, 1_700_000_000_000, 30));
    await b.append(makeBatch(2, 'b'));
    await a.deleteRecordsBefore(4);
    assert.is(existsSync(join(dir, '.kafka_cleanshutdown')), false);
    await m.close();
    assert.match(readFileSync(join(dir, 'meta.properties'), 'utf8'), /version=0\nbroker\.id=1\ncluster\.id=abc/);
    assert.is(existsSync(join(dir, '.kafka_cleanshutdown')), true);
    const rp = readFileSync(join(dir, 'recovery-point-offset-checkpoint'), 'utf8').split('\n');
    assert.is(rp[0], '0');
    assert.is(rp[1], '2');
    assert.equal(rp.slice(2, 4).sort(), ['my-topic 3 2', 'orders 0 30']);
    assert.ok(readFileSync(join(dir, 'log-start-offset-checkpoint'), 'utf8').includes('orders 0 4'));
    assert.is(readFileSync(join(dir, 'orders-0', 'partition.metadata'), 'utf8'), 'version: 0\ntopic_id: 5a3c7e7e-0000-4000-8000-000000000001');

    const m2 = await LogManager.open({ logDirs: [dir], brokerId: 1, clusterId: 'abc' });
    const a2 = m2.getLog('orders', 0)!;
    assert.is(a2.logEndOffset, 30);
    assert.is(a2.logStartOffset, 4);
    assert.is(a2.recoveredSegments, 0);
    assert.is(m2.getLog('my-topic', 3)!.logEndOffset, 2);
    assert.is(m2.recoveryEvents.length, 0);
    await m2.close();

    rmSync(join(dir, '.kafka_cleanshutdown'));
    writeFileSync(join(dir, 'recovery-point-offset-checkpoint'), '0\n7\ngarbage');
    const m3 = await LogManager.open({ logDirs: [dir] });
    assert.ok(m3.recoveryEvents.some((e) => e.event.reason.includes('malformed')));
    assert.ok(m3.getLog('orders', 0)!.recoveredSegments > 0);
    assert.is(m3.getLog('orders', 0)!.logEndOffset, 30);
    assert.ok(await m3.deleteLog('my-topic', 3));
    assert.is(m3.getLog('my-topic', 3), undefined);
    assert.ok(!readdirSync(dir).includes('my-topic-3'));
    await m3.close();

    try { await LogManager.open({ logDirs: [dir], brokerId: 2 }); assert.unreachable(); } catch (e) {
      assert.is((e as { code: string }).code, 'INCONSISTENT_BROKER_METADATA');
      assert.match((e as Error).message, 'broker.id=1');
    }
  } finally { removeDir(dir); }
});

test('concurrent getOrCreateLog returns one log; topics with dots and dashes reload', async () => {
  const dir = tempDir();
  try {
    const m = await LogManager.open({ logDirs: [dir] });
    const [a, b] = await Promise.all([m.getOrCreateLog('my.dotted-topic', 1), m.getOrCreateLog('my.dotted-topic', 1)]);
    assert.is(a, b);
    await a.append(makeBatch(2, 'x'));
    await m.close();
    const m2 = await LogManager.open({ logDirs: [dir] });
    assert.is(m2.getLog('my.dotted-topic', 1)!.logEndOffset, 2);
    assert.is(m2.allLogs().length, 1);
    await m2.close();
  } finally { removeDir(dir); }
});

test.run();
