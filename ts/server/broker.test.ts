// The broker end to end with kafkajs: create a topic, produce 1,000 keyed messages with headers
// to 3 partitions, read them back exact and in order per partition; graceful stop + restart keeps
// every acknowledged record and rescans nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createKafkajs } from '../testing/kafkajs-client.js';
import { fetchWithKafkajs } from '../testing/kafkajs-fetch.js';
import { startBroker } from './start-broker.js';

interface Sent { key: string; value: string; h: string }

async function produceAll(bootstrap: string, topic: string, n: number, tag: string) {
  const kafka = createKafkajs(bootstrap);
  const producer = kafka.producer();
  await producer.connect();
  const sent: Sent[] = [];
  for (let batch = 0; batch < n / 100; batch++) {
    const messages = Array.from({ length: 100 }, (_, j) => {
      const i = batch * 100 + j;
      return { key: `key-${i % 37}`, value: `${tag}-value-${i}-${'x'.repeat(i % 50)}`, headers: { h: `hdr-${i}` } };
    });
    const res = await producer.send({ topic, messages, acks: -1 });
    assert.ok(res.every((r) => r.errorCode === 0));
    for (const m of messages) sent.push({ key: m.key, value: m.value, h: m.headers.h });
  }
  await producer.disconnect();
  return { kafka, sent };
}

test('kafkajs: 1,000 keyed messages with headers to 3 partitions come back exact and in order', async () => {
  const b = await startBroker();
  try {
    const kafka = createKafkajs(b.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    assert.ok(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }], waitForLeaders: true }));
    await admin.disconnect();
    const { sent } = await produceAll(b.bootstrap, 'orders', 1000, 'a');
    const got = await fetchWithKafkajs(kafka, 'orders', { partitions: [0, 1, 2], timeout: 30_000 });
    let total = 0;
    const keyPartition = new Map<string, number>();
    for (const [p, msgs] of got) {
      total += msgs.length;
      msgs.forEach((m, i) => {
        assert.is(m.offset, i, `partition ${p} offsets are consecutive from 0`);
        const key = m.key!.toString();
        if (keyPartition.has(key)) assert.is(keyPartition.get(key), p, `key ${key} always lands on one partition`);
        keyPartition.set(key, p);
      });
    }
    assert.is(total, 1000);
    // Per partition, the order equals the send order of the messages with keys of that partition.
    for (const [p, msgs] of got) {
      const expected = sent.filter((s) => keyPartition.get(s.key) === p);
      assert.equal(msgs.map((m) => [m.key!.toString(), m.value!.toString(), (m.headers.h as Buffer).toString()]),
        expected.map((s) => [s.key, s.value, s.h]));
    }
    assert.ok(got.get(0)!.length > 0 && got.get(1)!.length > 0 && got.get(2)!.length > 0, 'all partitions used');
  } finally {
    await b.close();
  }
});

test('graceful stop + restart: acknowledged data is there, no recovery scan', async () => {
  const dir = fs.mkdtempSync(os.tmpdir() + '/samsa-');
  try {
    const b1 = await startBroker({ dataDir: dir, config: { 'num.partitions': 2 } });
    const { kafka: k1 } = await produceAll(b1.bootstrap, 'durable', 300, 'r');
    const before = await fetchWithKafkajs(k1, 'durable', { partitions: [0, 1], timeout: 30_000 });
    const clusterId = b1.broker.clusterId;
    await b1.close();
    assert.ok(fs.existsSync(`${dir}/.kafka_cleanshutdown`), 'clean shutdown marker written');

    const b2 = await startBroker({ dataDir: dir });
    try {
      assert.equal(b2.broker.recoveryEvents, [], 'nothing rescanned or dropped');
      assert.is(b2.broker.clusterId, clusterId, 'cluster id kept in meta.properties');
      const k2 = createKafkajs(b2.bootstrap);
      const after = await fetchWithKafkajs(k2, 'durable', { partitions: [0, 1], timeout: 30_000 });
      let n = 0;
      for (const p of [0, 1]) {
        n += after.get(p)!.length;
        assert.equal(after.get(p)!.map((m) => [m.offset, m.key!.toString(), m.value!.toString()]),
          before.get(p)!.map((m) => [m.offset, m.key!.toString(), m.value!.toString()]));
      }
      assert.is(n, 300);
    } finally {
      await b2.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
