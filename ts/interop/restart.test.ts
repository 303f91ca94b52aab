// The CLI broker as a child process, killed mid-stream (SIGKILL = crash, SIGTERM = graceful
// stop) while a kafkajs idempotent producer is sending, then restarted on the same data dir and
// port. The producer keeps going through its retries. Every acknowledged message must be in
// the log exactly once and in send order per partition; an unacknowledged one at most once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startBrokerProcess, type BrokerProcess } from '../testing/broker-process.js';
import { createKafkajs, ConfigResourceTypes } from '../testing/kafkajs-client.js';
import { startTestBroker } from '../testing/with-broker.js';
import { fetchWithKafkajs } from '../testing/kafkajs-fetch.js';
import { SeededRandom } from '../testing/seeded-random.js';

const PARTITIONS = 3;
const BATCHES = 40;
const PER_BATCH = 50;

interface Msg { id: number; partition: number; value: Buffer }

function makeBatch(rng: SeededRandom, j: number): Msg[] {
  return Array.from({ length: PER_BATCH }, (_, k) => {
    const id = j * PER_BATCH + k;
    const value = Buffer.concat([Buffer.from(`id=${String(id).padStart(6, '0')};`), rng.bytes(rng.int(0, 200))]);
    return { id, partition: id % PARTITIONS, value };
  });
}

async function scenario(signal: 'SIGKILL' | 'SIGTERM', killAfterBatch: number): Promise<void> {
  const rng = new SeededRandom(signal === 'SIGKILL' ? 11 : 12);
  // The topic is auto-created (num.partitions) by the producer's first Metadata request.
  let proc: BrokerProcess = await startBrokerProcess({ config: { 'num.partitions': PARTITIONS } });
  const topic = `restart-${signal.toLowerCase()}`;
  const kafka = createKafkajs(proc.bootstrap, { retry: { retries: 12, initialRetryTime: 200, maxRetryTime: 2000 } });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const acked: Msg[] = [];
  const unacked: Msg[] = [];
  const sendErrors: string[] = [];
  try {
    await producer.connect();
    let restarted: Promise<void> | null = null;
    const firstPid = proc.pid;
    for (let j = 0; j < BATCHES; j++) {
      const batch = makeBatch(rng, j);
      if (j === killAfterBatch) {
        // Stop the broker while this batch is on its way; bring it back a moment later.
        restarted = (async () => {
          const exit = await proc.kill(signal);
          if (signal === 'SIGTERM') assert.is(exit.code, 0, `graceful stop exits 0; output:\n${proc.output.slice(-2000)}`);
          await new Promise((r) => setTimeout(r, 300));
          proc = await proc.restart();
        })();
      }
      try {
        await producer.send({ topic, acks: -1, messages: batch.map((m) => ({ partition: m.partition, value: m.value })) });
        acked.push(...batch);
      } catch (err) {
        unacked.push(...batch);
        sendErrors.push(`batch ${j}: ${(err as Error).message}`);
      }
      if (restarted && j === killAfterBatch) await restarted;
    }
    assert.is.not(proc.pid, firstPid, 'the broker was restarted');
    console.log(`[restart ${signal}] acknowledged ${acked.length}, not acknowledged ${unacked.length}${sendErrors.length ? ': ' + sendErrors.join('; ') : ''}`);
    assert.ok(acked.length >= (BATCHES - 2) * PER_BATCH, `most batches acknowledged (${acked.length}); errors: ${sendErrors.join('; ')}`);
    const got = await fetchWithKafkajs(kafka, topic, { partitions: [0, 1, 2] });
    const byId = new Map([...acked, ...unacked].map((m) => [m.id, m]));
    const ackedIds = new Set(acked.map((m) => m.id));
    for (let p = 0; p < PARTITIONS; p++) {
      const seen = new Set<number>();
      const ids: number[] = [];
      for (const m of got.get(p)!) {
        const id = Number(/^id=(\d+);/.exec(m.value!.toString('latin1'))?.[1]);
        assert.ok(byId.has(id), `partition ${p} offset ${m.offset}: unknown message`);
        assert.not.ok(seen.has(id), `partition ${p}: message ${id} is in the log twice (second at offset ${m.offset})`);
        seen.add(id);
        assert.is(m.value!.toString('hex'), byId.get(id)!.value.toString('hex'), `message ${id} bytes`);
        if (ackedIds.has(id)) ids.push(id);
      }
      const wantIds = acked.filter((m) => m.partition === p).map((m) => m.id);
      assert.equal(ids, wantIds, `partition ${p}: every acknowledged message exactly once, in order`);
    }
  } finally {
    await producer.disconnect().catch(() => {});
    await proc.remove();
  }
}

test('SIGKILL mid-stream, restart on the same dir and port: acknowledged messages exactly once, in order', async () => {
  await scenario('SIGKILL', 15);
});

test('SIGTERM mid-stream (graceful), restart: acknowledged messages exactly once, in order', async () => {
  await scenario('SIGTERM', 25);
});

test('in-process close + reopen: topics, config overrides, data; a deleted then recreated topic starts empty', async () => {
  const dir = mkdtempSync(tmpdir() + '/samsa-restart-');
  try {
    let broker = await startTestBroker({ dataDir: dir });
    let kafka = createKafkajs(broker.bootstrap);
    let admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'keep', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '123456' }] }] });
    await admin.createTopics({ topics: [{ topic: 'again', numPartitions: 1 }] });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: 'keep', acks: -1, messages: [{ partition: 0, value: 'a' }, { partition: 1, value: 'b' }] });
    await producer.send({ topic: 'again', acks: -1, messages: [{ value: 'old' }] });
    await producer.disconnect();
    await admin.deleteTopics({ topics: ['again'] });
    await admin.createTopics({ topics: [{ topic: 'again', numPartitions: 2 }] });
    await admin.disconnect();
    await broker.close();

    broker = await startTestBroker({ dataDir: dir, port: broker.port });
    try {
      kafka = createKafkajs(broker.bootstrap);
      admin = kafka.admin();
      await admin.connect();
      assert.equal((await admin.listTopics()).sort(), ['again', 'keep']);
      const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'keep', configNames: ['retention.ms'] }] });
      assert.equal(cfg.resources[0].configEntries.map((e) => [e.configName, e.configValue, e.isDefault]), [['retention.ms', '123456', false]]);
      const keep = await fetchWithKafkajs(kafka, 'keep', { partitions: [0, 1] });
      assert.equal([0, 1].map((p) => keep.get(p)!.map((m) => m.value!.toString())), [['a'], ['b']]);
      const again = await admin.fetchTopicOffsets('again');
      assert.equal(again.map((o) => [o.partition, Number(o.low), Number(o.high)]).sort(), [[0, 0, 0], [1, 0, 0]], 'recreated topic has 2 empty partitions');
      const producer2 = kafka.producer({ idempotent: true });
      await producer2.connect();
      const [r] = await producer2.send({ topic: 'keep', acks: -1, messages: [{ partition: 0, value: 'c' }] });
      await producer2.disconnect();
      assert.is(Number(r.baseOffset), 1, 'appends continue after the last offset');
      await admin.disconnect();
    } finally {
      await broker.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
