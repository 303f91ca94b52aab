// Regenerates the seed corpora in fuzz/corpus/ (regressions/ are never touched):
//
//   node --import tsx fuzz/ts/make-corpus.ts            (all sources; rewrites every seed)
//   node --import tsx fuzz/ts/make-corpus.ts --only=kcat (adds the kcat seeds, touches nothing else)
//
// Seeds: batches written by real clients (kafkajs with none/gzip, @platformatic/kafka with
// none/gzip/snappy/lz4/zstd; librdkafka via the `kcat` CLI, idempotent, in every codec, skipped
// when kcat is not installed) through a live broker, read back from the broker's .log/.index/
// .timeindex files; the request frames those clients sent (captured by a KafkaProxy); batches
// built with protocol/record buildBatch in every codec (producer ids, headers, transactional,
// control markers); and hand-made edge cases (short, torn, bad magic/CRC/counts, offsets near
// 2^53). Input layouts per corpus are at the top of each target's file.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Producer } from '@platformatic/kafka';
import { buildBatch } from '../../ts/protocol/record/batch-builder.js';
import { buildEndTxnMarkerBatch } from '../../ts/protocol/record/control-records.js';
import { crc32c } from '../../ts/native/crc32c.ref.js';
import { KafkaProxy } from '../../ts/testing/kafka-proxy.js';
import { createKafkajs, CompressionTypes } from '../../ts/testing/kafkajs-client.js';
import { fetchWithKafkajs } from '../../ts/testing/kafkajs-fetch.js';
import { startTestBroker } from '../../ts/testing/with-broker.js';
import { CORPORA, corpusFiles, writeCorpusFile, type CorpusName } from './corpus.js';

const seeds = new Map<CorpusName, number>();
function seed(name: CorpusName, prefix: string, bytes: Uint8Array): void {
  writeCorpusFile(name, prefix, bytes);
  seeds.set(name, (seeds.get(name) ?? 0) + 1);
}
const scanInput = (mode: number, flags: number, p: number, batches: Uint8Array) =>
  Buffer.concat([Buffer.from([mode, flags, p >> 8, p & 0xff]), batches]);

function seedBatches(prefix: string, batches: Buffer): void {
  seed('batch-scan', `${prefix}-produce`, scanInput(0, 0x01 | 0x02, 7, batches));
  seed('batch-scan', `${prefix}-replica`, scanInput(1, 0, 0, batches));
  seed('batch-scan', `${prefix}-recover-lat`, scanInput(2, 0x05, 3, batches));
  const crcHead = Buffer.from([batches.length % 16, 0, 0, 0, 0, 0, 61]);
  if (batches.length < 4096) seed('crc32c', prefix, Buffer.concat([crcHead, batches]));
}

function recrc(b: Buffer, at = 0): Buffer {
  const size = 12 + b.readInt32BE(at + 8);
  b.writeUInt32BE(crc32c(b.subarray(at + 21, at + size)), at + 17);
  return b;
}

async function fromClients(): Promise<void> {
  const broker = await startTestBroker({ logLevel: 'silent', config: { 'log.index.interval.bytes': 128 } });
  const proxy = await KafkaProxy.listen({ host: '127.0.0.1', port: broker.port });
  try {
    const kafka = createKafkajs(broker.bootstrap, { viaProxyPort: proxy.port });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: ['none', 'gzip', 'snappy', 'lz4', 'zstd'].map((c) => ({ topic: `platformatic-${c}`, numPartitions: 1 })) });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (const [name, compression] of [['none', CompressionTypes.None], ['gzip', CompressionTypes.GZIP]] as const) {
      for (let round = 0; round < 2; round++) {
        await producer.send({ topic: `kafkajs-${name}`, acks: -1, compression, messages: Array.from({ length: 3 + round * 20 }, (_, i) => ({
          key: i % 2 ? `key-${i}` : null, value: i % 5 === 4 ? null : `value ${i} `.repeat(i % 7),
          headers: i % 3 ? { h: `${i}`, dup: ['a', 'b'] } : {}, partition: 0,
        })) });
      }
    }
    await producer.disconnect();
    console.error('kafkajs produced');
    const got = await fetchWithKafkajs(kafka, 'kafkajs-none', { partitions: [0], timeout: 20_000 });
    console.error(`kafkajs fetched ${got.get(0)?.length ?? 0} messages`);
    const pl = new Producer({ clientId: 'corpus-platformatic', bootstrapBrokers: [`localhost:${proxy.port}`], retries: 2, timeout: 15_000 });
    for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
      try {
        await pl.send({ acks: -1, compression, messages: Array.from({ length: 12 }, (_, i) => ({
          topic: `platformatic-${compression}`, partition: 0, key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`.repeat(i + 1)),
          headers: new Map([[Buffer.from('h'), Buffer.from(String(i))]]),
        })) } as Parameters<typeof pl.send>[0]);
      } catch (e) { console.error(`platformatic ${compression}: ${(e as Error).message}`); }
    }
    await pl.close();
    console.error('platformatic produced');
    for (const { apiKey, apiVersion, frame } of proxy.frames.values()) seed('protocol', `client-${apiKey}-v${apiVersion}`, frame);
    // The broker's own files: real client batches with offsets assigned, and their indexes.
    seedDataDir(broker.dataDir, /^(kafkajs|platformatic)-/);
  } finally {
    await proxy.close();
    await broker.close();
  }
}

function seedDataDir(dataDir: string, topics: RegExp): void {
  for (const dir of readdirSync(dataDir)) {
    const pdir = join(dataDir, dir);
    if (!statSync(pdir).isDirectory() || !topics.test(dir)) continue;
    for (const f of readdirSync(pdir)) {
      const bytes = readFileSync(join(pdir, f));
      if (f.endsWith('.log') && bytes.length > 0) {
        seedBatches(dir, bytes);
        seed('segment-recover', dir, bytes);
        seed('segment-recover', `${dir}-torn`, bytes.subarray(0, bytes.length - 7));
      } else if (f.endsWith('.index') && bytes.length > 0) {
        seed('index-lookup', `${dir}-index`, Buffer.concat([Buffer.from([0x02, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 1, 0, 0]), bytes]));
      } else if (f.endsWith('.timeindex') && bytes.length > 0) {
        const t = bytes.readBigInt64BE(0);
        const head = Buffer.alloc(18); head[0] = 0x03; head.writeBigInt64BE(t, 2); head.writeBigInt64BE(100n, 10);
        seed('index-lookup', `${dir}-timeindex`, Buffer.concat([head, bytes]));
      }
    }
  }
}

function hasKcat(): boolean {
  try { execFileSync('kcat', ['-V'], { stdio: 'ignore' }); return true; } catch { return false; }
}

/** Runs kcat without blocking the event loop (the broker runs in this process). */
function runKcat(args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'ignore', 'pipe'], timeout: 30_000 });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kcat ${args.join(' ')} exited ${code}: ${err}`))));
    child.stdin.end(input);
  });
}

/** librdkafka-written batches: kcat produces two keyed runs with headers per codec. */
async function fromKcat(): Promise<void> {
  if (!hasKcat()) { console.error('kcat not found (apt-get install kcat): skipping librdkafka seeds'); return; }
  const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
  // Own data dir: the broker deletes a temp one on close, and the files are read after close.
  const dataDir = mkdtempSync(join(tmpdir(), 'samsa-kcat-'));
  try {
    const broker = await startTestBroker({ dataDir, logLevel: 'silent', config: { 'log.index.interval.bytes': 256 } });
    try {
      const admin = createKafkajs(broker.bootstrap).admin();
      await admin.connect();
      await admin.createTopics({ topics: codecs.map((c) => ({ topic: `kcat-${c}`, numPartitions: 1 })) });
      await admin.disconnect();
      for (const codec of codecs) {
        for (let round = 0; round < 2; round++) {
          const n = 4 + round * 14;
          const lines = Array.from({ length: n }, (_, i) => `key-${round}-${i}:${i % 6 === 5 ? '' : `kcat ${codec} ${i} `.repeat(1 + (i % 4))}`);
          await runKcat(['-P', '-b', broker.bootstrap, '-t', `kcat-${codec}`, '-p', '0', '-z', codec, '-K:', '-Z',
            '-H', `codec=${codec}`, '-H', `round=${round}`, '-H', 'dup=a', '-H', 'dup=b',
            '-X', 'enable.idempotence=true', '-X', 'linger.ms=50'], lines.join('\n') + '\n');
        }
      }
      console.error('kcat produced');
    } finally {
      await broker.close();
    }
    seedDataDir(dataDir, /^kcat-/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function fromBuilder(): void {
  const now = 1_700_000_000_000;
  const recs = (n: number) => Array.from({ length: n }, (_, i) => ({
    key: i % 3 ? `k${i}` : null, value: i % 4 === 3 ? null : Buffer.alloc(i * 3, i), headers: i % 2 ? [{ key: 'h', value: `${i}` }] : [],
    timestamp: now + i,
  }));
  for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
    const a = buildBatch(recs(5), { compression, now, baseOffset: 0 });
    const b = buildBatch(recs(1), { compression, now, baseOffset: 5, producerId: 42, producerEpoch: 1, baseSequence: 0 });
    const c = buildBatch(recs(9), { compression, now, baseOffset: 6, producerId: 42, producerEpoch: 1, baseSequence: 1, isTransactional: true });
    seedBatches(`build-${compression}`, Buffer.concat([a, b, c]));
  }
  const marker = buildEndTxnMarkerBatch({ baseOffset: 16, producerId: 42, producerEpoch: 1, commit: true, coordinatorEpoch: 3, now });
  seedBatches('build-control', marker);
  const empty = buildBatch([], { now, baseOffset: 3, lastOffsetDelta: 4 });
  seedBatches('build-empty-compacted', Buffer.concat([buildBatch(recs(2), { now, baseOffset: 0 }), empty]));
  const compacted = buildBatch(recs(3).map((r, i) => ({ ...r, offsetDelta: i * 2 })), { now, baseOffset: 0 });
  seedBatches('build-gaps', compacted);

  // Edge cases around each check.
  const one = buildBatch(recs(2), { now, baseOffset: 0 });
  const edit = (fn: (b: Buffer) => void, fix = true) => { const b = Buffer.from(one); fn(b); return fix ? recrc(b) : b; };
  seedBatches('edge-empty', Buffer.alloc(0));
  seedBatches('edge-11-bytes', one.subarray(0, 11));
  seedBatches('edge-header-only', one.subarray(0, 61));
  seedBatches('edge-torn', Buffer.concat([one, one.subarray(0, one.length - 1)]));
  seedBatches('edge-length-48', edit((b) => b.writeInt32BE(48, 8), false));
  seedBatches('edge-length-negative', edit((b) => b.writeInt32BE(-1, 8), false));
  seedBatches('edge-magic-1', edit((b) => { b[16] = 1; }, false));
  seedBatches('edge-bad-crc', edit((b) => { b[17] ^= 1; }, false));
  seedBatches('edge-count-0', edit((b) => b.writeInt32BE(0, 57)));
  seedBatches('edge-count-big', edit((b) => b.writeInt32BE(0x7fffffff, 57)));
  seedBatches('edge-delta-negative', edit((b) => b.writeInt32BE(-1, 23)));
  seedBatches('edge-record-length', edit((b) => { b[61] = 0x7f; }));
  seedBatches('edge-base-near-max', edit((b) => b.writeBigInt64BE(2n ** 53n - 2n, 0)));
  seedBatches('edge-base-negative', edit((b) => b.writeBigInt64BE(-5n, 0)));
  seedBatches('edge-non-monotonic', Buffer.concat([edit((b) => b.writeBigInt64BE(10n, 0)), edit((b) => b.writeBigInt64BE(3n, 0))]));
  seed('batch-scan', 'edge-assign-overflow', scanInput(0, 0x11, 0, Buffer.concat([one, one])));
  seed('batch-scan', 'edge-capacity-1', scanInput(1, 0x08, 1, Buffer.concat([one, edit((b) => b.writeBigInt64BE(2n, 0))])));
  seed('segment-recover', 'edge-straddle', Buffer.concat(Array.from({ length: 6 }, (_, i) => edit((b) => b.writeBigInt64BE(BigInt(i * 2), 0)))));
  seed('segment-recover', 'edge-hole', Buffer.concat([one, Buffer.alloc(40), one]));
  seed('segment-recover', 'edge-empty', Buffer.alloc(0));

  // Index edge cases: header (18 bytes) + entries.
  const idx = (flags: number, target: bigint, bound: bigint, entries: number[][], trusted = 0) => {
    const head = Buffer.alloc(18); head[0] = flags; head[1] = trusted; head.writeBigInt64BE(target, 2); head.writeBigInt64BE(bound, 10);
    const body = Buffer.alloc(entries.length * (flags & 1 ? 12 : 8));
    entries.forEach((e, i) => {
      if (flags & 1) { body.writeBigInt64BE(BigInt(e[0]), i * 12); body.writeInt32BE(e[1], i * 12 + 8); }
      else { body.writeInt32BE(e[0], i * 8); body.writeInt32BE(e[1], i * 8 + 4); }
    });
    return Buffer.concat([head, body]);
  };
  seed('index-lookup', 'edge-offset-sorted', idx(0x02, 25n, 10_000n, [[0, 0], [10, 100], [20, 300], [30, 900]]));
  seed('index-lookup', 'edge-offset-unsorted', idx(0x02, 15n, 10_000n, [[0, 0], [20, 100], [10, 300]]));
  seed('index-lookup', 'edge-offset-prealloc-zeros', idx(0x00, 5n, 500n, [[1, 10], [2, 20], [0, 0], [0, 0]], 2));
  seed('index-lookup', 'edge-time-sorted', idx(0x03, BigInt(now), 100n, [[now - 5, 0], [now, 3], [now + 9, 7]]));
  seed('index-lookup', 'edge-time-equal', idx(0x03, 5n, 100n, [[5, 0], [5, 1]]));
  seed('index-lookup', 'edge-time-negative', idx(0x03, -1n, 100n, [[-1, 0], [7, 2]]));
}

function handMadeCrc(): void {
  for (const len of [0, 1, 7, 8, 15, 16, 63, 64, 255, 256, 1023, 4099]) {
    const b = Buffer.alloc(7 + len);
    for (let i = 0; i < b.length; i++) b[i] = (i * 131 + len) & 0xff;
    b[0] = len % 16;
    seed('crc32c', `len-${len}`, b);
  }
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
if (only === 'kcat') {
  await fromKcat();
} else {
  for (const name of CORPORA) for (const f of corpusFiles(name)) if (!f.includes('/regressions/')) rmSync(f);
  fromBuilder();
  handMadeCrc();
  await fromClients();
  await fromKcat();
}
for (const name of CORPORA) console.log(`${name}: ${seeds.get(name) ?? 0} seeds`);
process.exit(0);
