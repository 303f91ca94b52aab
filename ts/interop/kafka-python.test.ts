// kafka-python (Debian: 2.0.2) against Samsa, through ts/interop/python/kafka_python_client.py:
// KafkaAdminClient create_topics / describe_configs, KafkaProducer with acks=all, KafkaConsumer
// with manual assign() + seek_to_beginning reading back binary keys, values and headers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestBroker } from '../testing/with-broker.js';
import { runPython } from '../testing/run-python.js';
import { skipUnless } from '../testing/skip-unless.js';
import { SeededRandom } from '../testing/seeded-random.js';
import { b64, byPartition, makeMessages } from '../testing/test-messages.js';

const maybe = skipUnless({ python: 'kafka' });
const broker = await startTestBroker();
test.after(() => broker.close());

const TOPIC = 'kafka-python-main';
const spec = (extra: object) => JSON.stringify({ bootstrap: broker.bootstrap, ...extra });
const rng = new SeededRandom();
// kafka-python rejects a record whose key and value are both None; make every value non-null.
const messages = makeMessages(rng, 1500, { partitions: 3, nullValues: 0 });
const expected = byPartition(messages);

interface Sent { event: string; i: number; partition: number; offset: number }
interface Consumed { event: string; partition: number; offset: number; k64: string | null; v64: string | null; headers: Array<[string, string | null]> }

maybe('api_version: kafka-python infers a modern broker from ApiVersions', async () => {
  const { lines } = await runPython('kafka_python_client.py', ['api_versions', spec({})]);
  const version = (lines[0] as { version: number[] }).version;
  assert.ok(version[0] >= 2 || (version[0] === 1 && version[1] >= 0), `inferred version ${version} (needs >= 1.0 for headers and idempotence-era APIs)`);
});

maybe('KafkaAdminClient.create_topics; a duplicate gets TOPIC_ALREADY_EXISTS (36)', async () => {
  const { lines } = await runPython('kafka_python_client.py', ['create_topics', spec({ topics: [{ name: TOPIC, partitions: 3, config: { 'cleanup.policy': 'delete', 'retention.ms': '7200000' } }] })]);
  assert.equal(lines, [{ event: 'created', topic: TOPIC, error_code: 0 }]);
  const again = await runPython('kafka_python_client.py', ['create_topics', spec({ topics: [{ name: TOPIC, partitions: 3 }] })]);
  assert.equal(again.lines, [{ event: 'created', topic: TOPIC, error_code: 36 }]);
});

maybe('KafkaAdminClient.describe_configs on the topic', async () => {
  const { lines } = await runPython<{ event: string; error_code: number; configs: Record<string, string> }>('kafka_python_client.py', ['describe_configs', spec({ topic: TOPIC })]);
  assert.is(lines.length, 1);
  assert.is(lines[0].error_code, 0);
  assert.is(lines[0].configs['retention.ms'], '7200000');
  assert.is(lines[0].configs['cleanup.policy'], 'delete');
});

maybe('KafkaProducer acks=all: offsets contiguous per partition in send order', async () => {
  const input = JSON.stringify(messages.map((m) => ({ k64: b64(m.key), v64: b64(m.value), partition: m.partition, headers: m.headers.map(([k, v]) => [k, b64(v)]) })));
  const { lines } = await runPython<Sent>('kafka_python_client.py', ['produce', spec({ topic: TOPIC, acks: 'all' })], { input, timeout: 60_000 });
  assert.is(lines.length, messages.length);
  const offsets = new Map(lines.map((l) => [l.i, l]));
  for (const [p, list] of expected) {
    assert.equal(list.map((m) => [offsets.get(m.i)?.partition, offsets.get(m.i)?.offset]), list.map((_, j) => [p, j]), `partition ${p}`);
  }
});

maybe('KafkaConsumer assign() + seek_to_beginning reads back exactly', async () => {
  const { lines } = await runPython<Consumed>('kafka_python_client.py', ['consume', spec({ topic: TOPIC, partitions: [0, 1, 2], count: messages.length, timeout: 40 })], { timeout: 60_000 });
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

test.run();
