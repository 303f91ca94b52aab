// Network target against a live broker (startBroker, in this process): real-client request
// frames (fuzz/corpus/protocol) and generated requests of every api/version, mutated (sizes and
// length fields, versions, truncations, garbage, wrong size prefixes), sent over many concurrent
// connections within the time budget. Each connection sends a few frames then waits briefly for
// the broker to answer or close. Afterwards the broker must still serve a real client (kafkajs
// produces 20 messages and reads them back in order) and, once stopped, `samsa check` must find
// every log valid. An uncaught exception or unhandled rejection while fuzzing is a failure.
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startBroker } from '../../ts/index.js';
import { checkDir, formatProblem } from '../../ts/cli/commands/check.js';
import { encodeRequest } from '../../ts/protocol/messages-io.js';
import { REQUEST_SCHEMAS } from '../../ts/protocol/generated/schemas.js';
import { messageArbitrary } from '../../ts/protocol/testing/schema-arbitrary.js';
import { createKafkajs } from '../../ts/testing/kafkajs-client.js';
import { fetchWithKafkajs } from '../../ts/testing/kafkajs-fetch.js';
import { readCorpus } from './corpus.js';
import { applyMutations, mutationsArb, type Mutation } from './mutate.js';
import type { FuzzBudget, FuzzReport, TsFuzzTarget } from './target.js';

const CONNECTIONS = 16;
const FRAMES_PER_CONNECTION = 4;

function seedFrames(seed: number): Buffer[] {
  const frames = readCorpus('protocol').map((f) => f.bytes);
  for (const schema of Object.values(REQUEST_SCHEMAS)) {
    if (!schema) continue;
    for (let v = schema.versions[0]; v <= schema.versions[1]; v += 3) {
      const [value] = fc.sample(messageArbitrary(schema, v), { numRuns: 1, seed: seed + schema.apiKey * 31 + v });
      frames.push(encodeRequest(schema.apiKey, v, 1, 'fuzz', value!).subarray(4));
    }
  }
  return frames;
}

type Sizing = 'exact' | 'short' | 'long' | 'negative' | 'huge' | 'none';
function framed(payload: Buffer, sizing: Sizing): Buffer {
  const size = Buffer.alloc(4);
  const n = { exact: payload.length, short: Math.max(0, payload.length - 3), long: payload.length + 5, negative: -1, huge: 0x7ffffff0, none: 0 }[sizing];
  if (sizing === 'none') return payload;
  size.writeInt32BE(n, 0);
  return Buffer.concat([size, payload]);
}

function exchange(port: number, chunks: Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const done = () => { clearTimeout(timer); s.destroy(); resolve(); };
    const timer = setTimeout(done, 300);
    s.on('error', done);
    s.on('close', done);
    s.on('data', () => undefined);
    s.on('connect', () => { for (const c of chunks) s.write(c); });
  });
}

async function clientStillWorks(bootstrap: string): Promise<void> {
  const kafka = createKafkajs(bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'after-fuzz', numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'after-fuzz', acks: -1, messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
  await producer.disconnect();
  const got = (await fetchWithKafkajs(kafka, 'after-fuzz', { partitions: [0], timeout: 20_000 })).get(0) ?? [];
  const values = got.map((m) => m.value?.toString());
  const want = Array.from({ length: 20 }, (_, i) => `v${i}`);
  if (JSON.stringify(values) !== JSON.stringify(want)) throw new Error(`after fuzzing, kafkajs read back ${JSON.stringify(values)}`);
}

export async function runNetwork(budget: FuzzBudget): Promise<FuzzReport> {
  const dataDir = mkdtempSync(join(tmpdir(), 'samsa-netfuzz-'));
  const failures: FuzzReport['failures'] = [];
  const onCrash = (err: unknown) => failures.push({ message: `uncaught while fuzzing: ${(err as Error)?.stack ?? String(err)}` });
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const broker = await startBroker({ dataDir, config: { 'auto.create.topics.enable': true, 'socket.request.max.bytes': 1 << 20 } });
  let execs = 0, connections = 0;
  try {
    const frames = seedFrames(budget.seed);
    const caseArb = fc.record({
      frame: fc.nat(frames.length - 1), muts: mutationsArb,
      sizing: fc.constantFrom<Sizing>('exact', 'exact', 'exact', 'short', 'long', 'negative', 'huge', 'none'),
      version: fc.option(fc.integer({ min: -1, max: 20 }), { freq: 6 }),
    });
    const deadline = Date.now() + budget.timeMs * 0.7;
    let round = 0;
    while (Date.now() < deadline) {
      const cases = fc.sample(fc.array(caseArb, { minLength: 1, maxLength: FRAMES_PER_CONNECTION }), { numRuns: CONNECTIONS, seed: budget.seed + round++ });
      await Promise.all(cases.map((list) => {
        connections++;
        return exchange(broker.port, list.map((c) => {
          execs++;
          const payload = applyMutations(frames[c.frame], c.muts as Mutation[]);
          if (c.version !== null && payload.length >= 4) payload.writeInt16BE(c.version, 2);
          return framed(payload, c.sizing);
        }));
      }));
    }
    await clientStillWorks(broker.bootstrap);
  } catch (err) {
    failures.push({ message: (err as Error).stack ?? String(err) });
  } finally {
    await broker.close();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
  try {
    const report = await checkDir(dataDir);
    const problems = report.problems.map(formatProblem);
    if (problems.length) failures.push({ message: `samsa check after fuzzing:\n${problems.join('\n')}` });
    return { execs, failures, detail: `${connections} connections, check: ${report.partitions} partitions, ${report.batches} batches` };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const networkFuzz: TsFuzzTarget = { name: 'network', run: runNetwork };
