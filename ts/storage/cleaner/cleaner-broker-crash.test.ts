// Compaction crash safety through the broker: a `samsa start` child process holds a compacted
// topic (1,000 keys × 10 updates, ~30 segments) written with the cleaner off; it is restarted
// with the cleaner on (log.cleaner.backoff.ms=50) and SIGKILLed the moment a `<base>.log.swap`
// file appears in the partition directory (fs.watch): the swap's commit point, so recovery must
// complete it. Restarted
// with the cleaner off, the broker must serve (kafkajs fetch from offset 0) records that are each
// the original record at its offset, strictly increasing, with every key's latest value at its
// original offset, the same high watermark, and no `.cleaned`/`.swap` file left; `samsa check`
// is clean. Restarted once more with the cleaner on, compaction completes to the same table.
import { spawnSync } from 'node:child_process';
import { readdirSync, watch } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BrokerProcess } from '../../testing/broker-process.js';
import { createKafkajs } from '../../testing/kafkajs-client.js';
import { fetchWithKafkajs, type FetchedMessage } from '../../testing/kafkajs-fetch.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TOPIC = 'compacted';
const KEYS = 1000, ROUNDS = 10;
// The commit point of a swap (segment-swap.ts); SAMSA_TEST_KILL_ON=.cleaned kills earlier.
const KILL_ON = process.env.SAMSA_TEST_KILL_ON ?? '.log.swap';
const cleaner = (on: boolean) => ({ 'log.cleaner.enable': on, 'log.cleaner.backoff.ms': 50 });

let broker = await BrokerProcess.start({ config: cleaner(false), logLevel: 'warn' });
test.after(async () => { await broker.remove(); });
const partitionDir = () => `${broker.dataDir}/${TOPIC}-0`;

const original = new Map<number, { key: string; value: string }>();
const latest = new Map<string, number>();
let end = 0;

async function fetchAll(): Promise<FetchedMessage[]> {
  const kafka = createKafkajs(broker.bootstrap);
  return (await fetchWithKafkajs(kafka, TOPIC, { partitions: [0], maxWaitTime: 50, timeout: 30_000 })).get(0) ?? [];
}

function checkServed(got: FetchedMessage[]): void {
  let prev = -1;
  for (const m of got) {
    assert.ok(m.offset > prev, `offset ${m.offset} after ${prev}`);
    prev = m.offset;
    const o = original.get(m.offset);
    assert.ok(o !== undefined && o.key === m.key!.toString() && o.value === m.value!.toString(), `offset ${m.offset} holds its original record`);
  }
  const present = new Set(got.map((m) => m.offset));
  for (const [key, off] of latest) assert.ok(present.has(off), `latest value of ${key} (offset ${off}) served`);
}

test('produce 10 rounds over 1,000 keys to a compacted topic (cleaner off)', async () => {
  const kafka = createKafkajs(broker.bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, configEntries: [
    { name: 'cleanup.policy', value: 'compact' }, { name: 'segment.bytes', value: '16384' }, { name: 'min.cleanable.dirty.ratio', value: '0.01' },
  ] }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < KEYS; k += 250) {
      const messages = Array.from({ length: 250 }, (_, i) => ({ key: `key-${k + i}`, value: `round ${r} key ${k + i} ${'y'.repeat((k + i) % 30)}`, partition: 0 }));
      const [meta] = await producer.send({ topic: TOPIC, acks: -1, messages });
      const base = Number(meta!.baseOffset);
      messages.forEach((m, i) => { original.set(base + i, m); latest.set(m.key, base + i); });
    }
  }
  await producer.disconnect();
  end = KEYS * ROUNDS;
  assert.is(original.size, end);
  assert.ok(readdirSync(partitionDir()).filter((n) => n.endsWith('.log')).length >= 20, 'many segments');
});

test('SIGKILL while the broker cleans; restart: nothing lost or duplicated, offsets unchanged, check clean', async () => {
  await broker.stop();
  const dir = partitionDir();
  let seen = '';
  const watcher = watch(dir);
  const killed = new Promise<void>((resolve) => {
    watcher.on('change', (_e, name) => {
      const n = String(name);
      if (!seen && n.endsWith(KILL_ON)) { seen = n; broker.child.kill('SIGKILL'); resolve(); }
    });
  });
  broker = await broker.restart({ config: cleaner(true) });
  await Promise.race([killed, new Promise((r) => setTimeout(r, 30_000))]);
  watcher.close();
  await broker.kill('SIGKILL');
  assert.ok(seen !== '', `the cleaner wrote a *${KILL_ON} file within 30 s`);
  console.log(`  killed on ${seen}; left: ${readdirSync(dir).filter((n) => /\.(cleaned|swap)$/.test(n)).join(' ') || 'none'}`);
  broker = await broker.restart({ config: cleaner(false) });
  assert.equal(readdirSync(dir).filter((n) => n.endsWith('.cleaned') || n.endsWith('.swap')), [], `no leftovers (killed at ${seen})`);
  const got = await fetchAll();
  checkServed(got);
  assert.is(got.at(-1)!.offset, end - 1, 'the last record is still the last');
  await broker.stop();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'check', broker.dataDir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 0, `samsa check:\n${r.stdout}\n${r.stderr}`);
});

test('restarted with the cleaner on, compaction completes to the latest value per key', async () => {
  broker = await broker.restart({ config: cleaner(true) });
  let got: FetchedMessage[] = [];
  for (const t = Date.now(); Date.now() - t < 30_000; await new Promise((r) => setTimeout(r, 300))) {
    got = await fetchAll();
    if (got.length < KEYS * 2) break; // cleaned: only the active segment's records repeat keys
  }
  checkServed(got);
  assert.ok(got.length < KEYS * 2, `${got.length} records served after cleaning`);
  const table = new Map(got.map((m) => [m.key!.toString(), m.offset]));
  assert.equal(table, latest);
});

test.run();
