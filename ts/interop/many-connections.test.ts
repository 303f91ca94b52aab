// 200 kafkajs clients at once against one broker: 100 producers (each its own client, so its own
// connections) writing while 100 readers (kafkajs Fetch, also one client each) long-poll the
// same partitions. Every message is accounted for: each partition holds exactly the messages
// sent to it, each producer's messages in its send order, and every reader sees the log as is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestBroker } from '../testing/with-broker.js';
import { createKafkajs } from '../testing/kafkajs-client.js';
import { fetchWithKafkajs } from '../testing/kafkajs-fetch.js';

const PRODUCERS = 100;
const READERS = 100;
const PARTITIONS = 10;
const SENDS = 2;
const PER_SEND = 10;
const PER_PARTITION = (PRODUCERS / PARTITIONS) * SENDS * PER_SEND;

const broker = await startTestBroker();
test.after(() => broker.close());

test(`${PRODUCERS} producers and ${READERS} readers on their own connections, all at once`, async () => {
  const topic = 'many-connections';
  const setup = createKafkajs(broker.bootstrap).admin();
  await setup.connect();
  assert.is(await setup.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] }), true);
  await setup.disconnect();

  const untilOffsets = new Map(Array.from({ length: PARTITIONS }, (_, p) => [p, PER_PARTITION]));
  const readers = Array.from({ length: READERS }, (_, r) => {
    const partition = r % PARTITIONS;
    const kafka = createKafkajs(broker.bootstrap, { clientId: `reader-${r}` });
    return fetchWithKafkajs(kafka, topic, { partitions: [partition], untilOffsets, maxWaitTime: 500, timeout: 60_000 })
      .then((got) => ({ partition, messages: got.get(partition)! }));
  });
  const producers = Array.from({ length: PRODUCERS }, async (_, i) => {
    const producer = createKafkajs(broker.bootstrap, { clientId: `producer-${i}` }).producer();
    await producer.connect();
    try {
      for (let s = 0; s < SENDS; s++) {
        const messages = Array.from({ length: PER_SEND }, (_, k) => ({ partition: i % PARTITIONS, key: `p${i}`, value: `p${i}-m${s * PER_SEND + k}` }));
        await producer.send({ topic, acks: -1, messages });
      }
    } finally {
      await producer.disconnect();
    }
  });
  await Promise.all(producers);
  const results = await Promise.all(readers);

  const logs = new Map<number, string[]>();
  for (const { partition, messages } of results) {
    const values = messages.map((m) => `${m.offset}:${m.value!.toString()}`);
    const first = logs.get(partition);
    if (first) assert.equal(values, first, `every reader of partition ${partition} sees the same log`);
    else logs.set(partition, values);
  }
  assert.is(logs.size, PARTITIONS);
  for (const [p, values] of logs) {
    assert.is(values.length, PER_PARTITION, `partition ${p} count`);
    values.forEach((v, j) => assert.ok(v.startsWith(`${j}:`), `partition ${p}: offsets contiguous`));
    for (let i = p; i < PRODUCERS; i += PARTITIONS) {
      const mine = values.map((v) => v.slice(v.indexOf(':') + 1)).filter((v) => v.startsWith(`p${i}-`));
      assert.equal(mine, Array.from({ length: SENDS * PER_SEND }, (_, k) => `p${i}-m${k}`), `producer ${i}: all messages, in order, once`);
    }
  }
});

test.run();
