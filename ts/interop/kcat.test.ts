// kcat (librdkafka 2.0.2, Debian 12) against Samsa: metadata (-L), produce (-P) with every
// delivery setting that matters (acks 0/1/all, idempotence, linger, keys, headers, explicit
// partition, -z none), consume (-C) from beginning / end / absolute / relative / timestamp with
// -f format strings and -J, and offset queries (-Q). Line-oriented, so payloads are text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestBroker } from '../testing/with-broker.js';
import { createKafkajs } from '../testing/kafkajs-client.js';
import { runKcat } from '../testing/run-kcat.js';
import { skipUnless } from '../testing/skip-unless.js';
import { SeededRandom } from '../testing/seeded-random.js';
import { advertises, fetchApiVersions } from '../testing/api-versions.js';

const maybe = skipUnless('kcat');
const broker = await startTestBroker();
const admin = createKafkajs(broker.bootstrap).admin();
await admin.connect();
test.after(async () => {
  await admin.disconnect();
  await broker.close();
});

const B = ['-b', broker.bootstrap];
const TOPIC = 'kcat-main';
const rng = new SeededRandom();
// Text payloads without the key delimiter ':' or the characters used in -H and -f output.
const text = (n: number) => rng.text(n, ':=,|\t');

interface KcatJson { topic: string; partition: number; offset: number; tstype: string; ts: number; key: string | null; payload: string | null; headers?: string[] }

/** Consume a partition from `offset` until EOF (-e) with -J; retry until `count` arrive (acks=0 lands asynchronously). */
async function consumeJson(topic: string, partition: number, offset: string, count: number): Promise<KcatJson[]> {
  for (let attempt = 0; ; attempt++) {
    const r = await runKcat([...B, '-C', '-t', topic, '-p', String(partition), '-o', offset, '-e', '-J', '-q'], { timeout: 20_000 });
    const lines = r.stdout.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as KcatJson);
    if (lines.length >= count || attempt >= 20) return lines;
    await new Promise((res) => setTimeout(res, 100));
  }
}

maybe('setup: an 8-partition topic', async () => {
  assert.is(await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 8 }] }), true);
});

maybe('kcat -L -J: broker localhost:port, the topic and its 8 partitions led by broker 0', async () => {
  const r = await runKcat([...B, '-L', '-J', '-q']);
  const md = JSON.parse(r.stdout.toString('utf8'));
  assert.equal(md.brokers, [{ id: 0, name: `localhost:${broker.port}` }]);
  assert.is(md.controllerid, 0);
  const t = md.topics.find((x: { topic: string }) => x.topic === TOPIC);
  assert.ok(t, `topic ${TOPIC} listed`);
  assert.equal(t.partitions.map((p: { partition: number }) => p.partition).sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
  for (const p of t.partitions) {
    assert.is(p.leader, 0);
    assert.equal(p.replicas, [{ id: 0 }]);
    assert.equal(p.isrs, [{ id: 0 }]);
  }
  const one = JSON.parse((await runKcat([...B, '-L', '-J', '-q', '-t', TOPIC])).stdout.toString('utf8'));
  assert.equal(one.topics.map((x: { topic: string }) => x.topic), [TOPIC], '-L -t lists only that topic');
});

// Each delivery setting writes its own partition, so the checks below are exact.
const SETTINGS: Array<{ name: string; partition: number; x: string[] }> = [
  { name: 'acks=0', partition: 0, x: ['-X', 'acks=0'] },
  { name: 'acks=1', partition: 1, x: ['-X', 'acks=1'] },
  { name: 'acks=all', partition: 2, x: ['-X', 'acks=all'] },
  { name: 'enable.idempotence=true', partition: 3, x: ['-X', 'enable.idempotence=true'] },
  { name: 'linger.ms=50 + batch.num.messages=7', partition: 4, x: ['-X', 'linger.ms=50', '-X', 'batch.num.messages=7'] },
  { name: '-z none + acks=all', partition: 5, x: ['-z', 'none', '-X', 'acks=all'] },
  // Many small Produce requests pipelined on one connection: responses must come back in order
  // and the producer's sequence numbers must be accepted batch after batch.
  { name: 'idempotent, pipelined (max.in.flight=5, batch.num.messages=3)', partition: 6, x: ['-X', 'enable.idempotence=true', '-X', 'max.in.flight=5', '-X', 'batch.num.messages=3', '-X', 'linger.ms=0'] },
  { name: 'acks=1, pipelined (max.in.flight=20, batch.num.messages=2)', partition: 7, x: ['-X', 'acks=1', '-X', 'max.in.flight=20', '-X', 'batch.num.messages=2', '-X', 'linger.ms=0'] },
];
const N = 60;
const produced = new Map<number, Array<{ key: string; value: string }>>();

for (const s of SETTINGS) {
  maybe(`kcat -P ${s.name}: keys (-K:), headers (-H, repeated key), -p ${s.partition}; read back exact`, async () => {
    const msgs = Array.from({ length: N }, (_, i) => ({ key: `k${i}-${text(rng.int(0, 20))}`, value: `v${i}-${text(rng.int(0, 200))}` }));
    produced.set(s.partition, msgs);
    await runKcat([...B, '-P', '-t', TOPIC, '-p', String(s.partition), '-K:', '-H', 'origin=kcat', '-H', 'dup=1', '-H', 'dup=2', ...s.x],
      { input: msgs.map((m) => `${m.key}:${m.value}\n`).join('') });
    const got = await consumeJson(TOPIC, s.partition, 'beginning', N);
    assert.is(got.length, N, `${s.name}: message count`);
    got.forEach((m, i) => {
      assert.is(m.topic, TOPIC);
      assert.is(m.partition, s.partition);
      assert.is(m.offset, i, `${s.name}: offsets start at 0 and are contiguous`);
      assert.is(m.key, msgs[i].key, `${s.name}: key at ${i}`);
      assert.is(m.payload, msgs[i].value, `${s.name}: value at ${i}`);
      assert.equal(m.headers, ['origin', 'kcat', 'dup', '1', 'dup', '2'], `${s.name}: headers at ${i}`);
      assert.is(m.tstype, 'create');
    });
  });
}

maybe('kcat -C -f: format string fields (%t %p %o %k %s %K %S %h) are exact', async () => {
  const msgs = produced.get(2)!;
  const r = await runKcat([...B, '-C', '-t', TOPIC, '-p', '2', '-o', 'beginning', '-e', '-q', '-f', '%t|%p|%o|%k|%s|%K|%S|%h\n']);
  const lines = r.stdout.toString('utf8').split('\n').filter(Boolean);
  assert.is(lines.length, N);
  lines.forEach((line, i) => {
    const m = msgs[i];
    assert.is(line, `${TOPIC}|2|${i}|${m.key}|${m.value}|${m.key.length}|${m.value.length}|origin=kcat,dup=1,dup=2`);
  });
});

maybe('kcat -C -o <offset> | -<n> | end', async () => {
  const msgs = produced.get(1)!;
  const from10 = await consumeJson(TOPIC, 1, '10', N - 10);
  assert.equal(from10.map((m) => [m.offset, m.payload]), msgs.slice(10).map((m, i) => [10 + i, m.value]));
  const last5 = await consumeJson(TOPIC, 1, '-5', 5);
  assert.equal(last5.map((m) => m.offset), [N - 5, N - 4, N - 3, N - 2, N - 1]);
  const end = await runKcat([...B, '-C', '-t', TOPIC, '-p', '1', '-o', 'end', '-e', '-J', '-q']);
  assert.is(end.stdout.toString('utf8').trim(), '', 'nothing after the end');
});

maybe('kcat -C -o s@<ts> starts at the first message with timestamp >= ts; -Q finds the same offset', async () => {
  const topic = 'kcat-times';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] }), true);
  await runKcat([...B, '-P', '-t', topic, '-p', '0'], { input: 'a0\na1\na2\n' });
  await new Promise((r) => setTimeout(r, 30));
  const t = Date.now();
  await new Promise((r) => setTimeout(r, 30));
  await runKcat([...B, '-P', '-t', topic, '-p', '0'], { input: 'b0\nb1\n' });
  const got = await consumeJson(topic, 0, `s@${t}`, 2);
  assert.equal(got.map((m) => [m.offset, m.payload]), [[3, 'b0'], [4, 'b1']]);
  for (const m of got) assert.ok(m.ts >= t, `timestamp ${m.ts} >= ${t}`);
  const q = await runKcat([...B, '-Q', '-t', `${topic}:0:${t}`, '-q']);
  assert.match(q.stdout.toString('utf8'), new RegExp(`${topic}\\s+\\[0\\]\\s+offset\\s+3\\b`));
  const all = await consumeJson(topic, 0, 'beginning', 5);
  assert.equal(all.map((m) => m.payload), ['a0', 'a1', 'a2', 'b0', 'b1']);
});

maybe('kcat -C (no -e) on an empty partition long-polls and receives messages produced afterwards', async () => {
  const topic = 'kcat-longpoll';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] }), true);
  // From the beginning of an empty partition (not `-o end`, which would race the producer).
  const reader = runKcat([...B, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-c', '3', '-q', '-f', '%o:%s\n', '-X', 'fetch.wait.max.ms=5000'], { timeout: 30_000 });
  // Give the reader time to park a Fetch in the broker's purgatory (not required for correctness).
  await new Promise((r) => setTimeout(r, 1500));
  await runKcat([...B, '-P', '-t', topic, '-p', '0'], { input: 'x\ny\nz\n' });
  const r = await reader;
  assert.equal(r.stdout.toString('utf8').split('\n').filter(Boolean), ['0:x', '1:y', '2:z']);
});

maybe('kcat -P without a key delimiter match: key is NULL (-Z); empty value with -Z is NULL', async () => {
  const topic = 'kcat-nulls';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] }), true);
  await runKcat([...B, '-P', '-t', topic, '-p', '0', '-K:', '-Z'], { input: 'no-delimiter\nk1:\n:v2\n' });
  const r = await runKcat([...B, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-Z', '-f', '%o [%k] [%s]\n']);
  assert.equal(r.stdout.toString('utf8').split('\n').filter(Boolean), ['0 [NULL] [no-delimiter]', '1 [k1] [NULL]', '2 [NULL] [v2]']);
});

maybe('kcat -P auto-creates a topic (auto.create.topics.enable=true) with num.partitions=1', async () => {
  const topic = 'kcat-auto';
  await runKcat([...B, '-P', '-t', topic], { input: 'hello\nworld\n' });
  const got = await consumeJson(topic, 0, 'beginning', 2);
  assert.equal(got.map((m) => m.payload), ['hello', 'world']);
  const md = JSON.parse((await runKcat([...B, '-L', '-J', '-q', '-t', topic])).stdout.toString('utf8'));
  assert.is(md.topics[0].partitions.length, 1);
});

const groupApis = advertises(await fetchApiVersions(broker.port), 8, 9, 10, 11, 12, 13, 14);
(groupApis ? maybe : test.skip)('kcat -G (librdkafka group consumer): reads everything, commits, and a rerun reads only new messages', async () => {
  const topic = 'kcat-group';
  assert.is(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] }), true);
  for (let p = 0; p < 3; p++) await runKcat([...B, '-P', '-t', topic, '-p', String(p)], { input: `p${p}-a\np${p}-b\n` });
  const group = ['-G', 'kcat-interop', '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%p:%o:%s\n', topic];
  const first = (await runKcat([...B, ...group], { timeout: 40_000 })).stdout.toString('utf8').split('\n').filter(Boolean).sort();
  assert.equal(first, ['0:0:p0-a', '0:1:p0-b', '1:0:p1-a', '1:1:p1-b', '2:0:p2-a', '2:1:p2-b']);
  await runKcat([...B, '-P', '-t', topic, '-p', '1'], { input: 'p1-c\n' });
  const second = (await runKcat([...B, ...group], { timeout: 40_000 })).stdout.toString('utf8').split('\n').filter(Boolean);
  assert.equal(second, ['1:2:p1-c'], 'committed offsets were kept: only the new message');
});
if (!groupApis) console.log('[pending] kcat -G: the broker does not advertise the group APIs');

test.run();
