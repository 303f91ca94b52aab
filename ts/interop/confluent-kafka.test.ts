// confluent-kafka-python (Debian: 1.7 on librdkafka 2.0.2) against Samsa, through
// ts/interop/python/confluent_client.py: AdminClient create/describe, an idempotent Producer
// with delivery reports carrying offsets, a Consumer with assign() (no group) reading back
// binary keys/values/headers exactly, and watermark / offsets-for-times queries.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestBroker } from '../testing/with-broker.js';
import { runPython } from '../testing/run-python.js';
import { skipUnless } from '../testing/skip-unless.js';
import { SeededRandom } from '../testing/seeded-random.js';
import { b64, byPartition, makeMessages } from '../testing/test-messages.js';
import { KafkaProxy } from '../testing/kafka-proxy.js';

const maybe = skipUnless({ python: 'confluent_kafka' });
const broker = await startTestBroker();
test.after(() => broker.close());

const TOPIC = 'confluent-main';
const rng = new SeededRandom();
const messages = makeMessages(rng, 3000, { partitions: 4 });
const expected = byPartition(messages);
const spec = (extra: object) => JSON.stringify({ bootstrap: broker.bootstrap, ...extra });

interface Delivered { event: string; i: number; partition: number; offset: number; error: string | null }
interface Consumed { event: string; partition: number; offset: number; k64: string | null; v64: string | null; headers: Array<[string, string | null]> }

maybe('AdminClient.create_topics (4 partitions); TOPIC_ALREADY_EXISTS the second time', async () => {
  const { lines } = await runPython('confluent_client.py', ['create_topic', spec({ topic: TOPIC, partitions: 4, config: { 'retention.ms': '3600000' } })]);
  assert.equal(lines, [{ event: 'created', topic: TOPIC, error: null }]);
  const again = await runPython('confluent_client.py', ['create_topic', spec({ topic: TOPIC, partitions: 4 })]);
  assert.equal(again.lines, [{ event: 'created', topic: TOPIC, error: 'TOPIC_ALREADY_EXISTS' }]);
});

maybe('AdminClient metadata + describe_configs', async () => {
  const { lines } = await runPython('confluent_client.py', ['describe', spec({ topic: TOPIC })]);
  const md = lines[0] as Record<string, unknown>;
  assert.is(md.event, 'metadata');
  assert.equal(md.brokers, [{ id: 0, host: 'localhost', port: broker.port }]);
  assert.is(md.controller_id, 0);
  assert.is(md.error, null);
  assert.equal(md.partitions, [0, 1, 2, 3].map((id) => ({ id, leader: 0, replicas: [0], isrs: [0] })));
  assert.ok(typeof md.cluster_id === 'string' && (md.cluster_id as string).length > 0, 'cluster id');
  const configs = (lines[1] as { configs: Record<string, string> }).configs;
  assert.is(configs['retention.ms'], '3600000');
  assert.is(configs['cleanup.policy'], 'delete');
});

maybe('idempotent Producer: every delivery report has an offset; offsets contiguous per partition in send order', async () => {
  const input = JSON.stringify(messages.map((m) => ({ k64: b64(m.key), v64: b64(m.value), partition: m.partition, headers: m.headers.map(([k, v]) => [k, b64(v)]) })));
  const { lines } = await runPython<Delivered>('confluent_client.py', ['produce', spec({ topic: TOPIC, config: { 'enable.idempotence': true, 'linger.ms': 5 } })], { input });
  const delivered = lines.filter((l) => l.event === 'delivered');
  assert.is(delivered.length, messages.length);
  assert.equal(lines.at(-1), { event: 'flushed', remaining: 0 });
  const offsets = new Map<number, number>();
  for (const d of delivered) {
    assert.is(d.error, null, `message ${d.i}`);
    assert.is(d.partition, messages[d.i].partition);
    offsets.set(d.i, d.offset);
  }
  for (const [p, list] of expected) {
    assert.equal(list.map((m) => offsets.get(m.i)), list.map((_, j) => j), `partition ${p}: offsets 0..n-1 in send order`);
  }
});

maybe('Consumer.assign() (no group) reads back binary keys, values and headers exactly', async () => {
  const assignments = [0, 1, 2, 3].map((partition) => ({ partition, offset: 'beginning' }));
  const { lines } = await runPython<Consumed>('confluent_client.py', ['consume', spec({ topic: TOPIC, assignments, count: messages.length, timeout: 40 })], { timeout: 60_000 });
  const got = byPartition(lines);
  for (const [p, want] of expected) {
    const g = got.get(p) ?? [];
    assert.is(g.length, want.length, `partition ${p} count`);
    g.forEach((m, j) => {
      assert.is(m.offset, j);
      assert.equal([m.k64, m.v64, m.headers], [b64(want[j].key), b64(want[j].value), want[j].headers.map(([k, v]) => [k, b64(v)])], `partition ${p} offset ${j}`);
    });
  }
});

maybe('Consumer.assign() from an absolute offset', async () => {
  const want = expected.get(2)!.slice(7);
  const { lines } = await runPython<Consumed>('confluent_client.py', ['consume', spec({ topic: TOPIC, assignments: [{ partition: 2, offset: 7 }], count: want.length })]);
  assert.equal(lines.map((m) => [m.offset, m.v64]), want.map((m, j) => [7 + j, b64(m.value)]));
});

maybe('watermarks and offsets_for_times', async () => {
  const topic = 'confluent-times';
  await runPython('confluent_client.py', ['create_topic', spec({ topic, partitions: 2 })]);
  const before = Date.now() - 60_000;
  const msgs = makeMessages(new SeededRandom(rng.seed + 1), 20, { partitions: 2 });
  const input = JSON.stringify(msgs.map((m) => ({ k64: b64(m.key), v64: b64(m.value), partition: m.partition })));
  await runPython('confluent_client.py', ['produce', spec({ topic })], { input });
  const counts = [0, 1].map((p) => msgs.filter((m) => m.partition === p).length);
  const { lines } = await runPython('confluent_client.py', ['offsets', spec({ topic, partitions: [0, 1], timestamps: [before, Date.now() + 3_600_000] })]);
  assert.equal(lines.filter((l) => l.event === 'watermarks'), [0, 1].map((p) => ({ event: 'watermarks', partition: p, low: 0, high: counts[p] })));
  const times = lines.filter((l) => l.event === 'offset_for_time').map((l) => [l.partition, l.timestamp === before ? 'before' : 'after', l.offset, l.error]);
  // Before every message: offset 0. After every message: Kafka answers -1 (librdkafka: OFFSET_END).
  assert.equal(times, [[0, 'before', 0, null], [1, 'before', 0, null], [0, 'after', -1, null], [1, 'after', -1, null]]);
});

maybe('idempotent Producer whose Produce responses are lost (connection cut): every message once, in order', async () => {
  // A second broker advertises the proxy, so librdkafka's every connection goes through it.
  const proxy = await KafkaProxy.listen();
  const lossy = await startTestBroker({ config: { 'advertised.listeners': `PLAINTEXT://localhost:${proxy.port}` } });
  proxy.target = { host: '127.0.0.1', port: lossy.broker.listeners[0].port };
  const bootstrap = `localhost:${proxy.port}`;
  try {
    const topic = 'confluent-lossy';
    await runPython('confluent_client.py', ['create_topic', JSON.stringify({ bootstrap, topic, partitions: 2 })]);
    const msgs = makeMessages(new SeededRandom(rng.seed + 2), 400, { partitions: 2 });
    proxy.dropResponses(0, 2);
    const input = JSON.stringify(msgs.map((m) => ({ k64: b64(m.key), v64: b64(m.value), partition: m.partition })));
    const config = { 'enable.idempotence': true, 'linger.ms': 0, 'batch.num.messages': 20, 'max.in.flight': 5 };
    const { lines } = await runPython<Delivered>('confluent_client.py', ['produce', JSON.stringify({ bootstrap, topic, config })], { input, timeout: 60_000 });
    assert.is(proxy.droppedResponses, 2, 'two Produce responses were lost');
    assert.is(lines.filter((l) => l.event === 'delivered' && l.error === null).length, msgs.length, 'all delivered');
    const assignments = [0, 1].map((partition) => ({ partition, offset: 'beginning' }));
    const consumed = await runPython<Consumed>('confluent_client.py', ['consume', JSON.stringify({ bootstrap, topic, assignments, count: msgs.length, timeout: 30 })], { timeout: 60_000 });
    const got = byPartition(consumed.lines);
    // Duplicates first, with a short message (a full diff of 400 base64 values is unreadable).
    const { lines: marks } = await runPython('confluent_client.py', ['offsets', JSON.stringify({ bootstrap, topic, partitions: [0, 1] })]);
    const want = byPartition(msgs);
    assert.equal(marks.map((l) => l.high), [0, 1].map((p) => want.get(p)?.length ?? 0), 'high watermarks = messages sent (more = duplicates appended)');
    for (const [p, list] of want) {
      assert.equal((got.get(p) ?? []).map((m) => [m.offset, m.v64]), list.map((m, j) => [j, b64(m.value)]), `partition ${p}: each message once, in order`);
    }
  } finally {
    await proxy.close();
    await lossy.close();
  }
});

test.run();
