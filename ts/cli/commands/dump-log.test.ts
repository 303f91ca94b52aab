import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBatch } from '../../protocol/record/batch-builder.js';
import { buildEndTxnMarkerBatch } from '../../protocol/record/control-records.js';
import { dumpLog } from './dump-log.js';

const dir = mkdtempSync(join(tmpdir(), 'samsa-'));
const file = (base: number, ext: string) => join(dir, `${String(base).padStart(20, '0')}.${ext}`);

function cli(...args: string[]): { code: number | null; lines: any[]; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'dump-log', ...args], { encoding: 'utf8' });
  const lines = args.includes('--json') ? r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  return { code: r.status, lines, stdout: r.stdout, stderr: r.stderr };
}

const a = buildBatch([
  { key: 'k1', value: 'hello', headers: [{ key: 'h', value: 'x' }, { key: 'h', value: null }], timestamp: 1000 },
  { key: null, value: Buffer.from([0, 1, 0xff]), timestamp: 999 },
], { baseOffset: 100, partitionLeaderEpoch: 4 });
const b = buildBatch([{ value: 'z'.repeat(200), timestamp: 1005 }], { baseOffset: 102, compression: 'gzip', producerId: 7, producerEpoch: 1, baseSequence: 0, isTransactional: true });
const c = buildEndTxnMarkerBatch({ commit: true, producerId: 7, producerEpoch: 1, coordinatorEpoch: 9, baseOffset: 103, now: 1006 });
const torn = buildBatch([{ value: 'lost' }], { baseOffset: 104, now: 1 }).subarray(0, 30);
writeFileSync(file(100, 'log'), Buffer.concat([a, b, c, torn]));

test('log: batches, records, control marker and torn tail as JSON lines', () => {
  const r = cli(file(100, 'log'), '--json', '--print-records');
  assert.is(r.code, 0, r.stderr);
  const types = r.lines.map((l) => l.type);
  assert.equal(types, ['file', 'batch', 'record', 'record', 'batch', 'record', 'batch', 'record', 'tail', 'file-end']);
  const batches = r.lines.filter((l) => l.type === 'batch');
  assert.equal(batches.map((x) => [x.baseOffset, x.lastOffset, x.count, x.position, x.size, x.magic, x.crcValid, x.compression]), [
    [100, 101, 2, 0, a.length, 2, true, 'none'],
    [102, 102, 1, a.length, b.length, 2, true, 'gzip'],
    [103, 103, 1, a.length + b.length, c.length, 2, true, 'none'],
  ]);
  assert.equal([batches[0].partitionLeaderEpoch, batches[0].maxTimestamp, batches[0].timestampType, batches[0].crc], [4, 1000, 'CreateTime', a.readUInt32BE(17)]);
  assert.equal([batches[1].producerId, batches[1].producerEpoch, batches[1].baseSequence, batches[1].isTransactional, batches[1].isControl], [7, 1, 0, true, false]);
  assert.equal([batches[2].isControl, batches[2].isTransactional], [true, true]);
  const recs = r.lines.filter((l) => l.type === 'record');
  assert.equal(recs[0], {
    type: 'record', file: file(100, 'log'), offset: 100, timestamp: 1000, key: 'k1', keyFormat: 'utf8', value: 'hello', valueFormat: 'utf8',
    headers: [{ key: 'h', value: 'x', valueFormat: 'utf8' }, { key: 'h', value: null, valueFormat: 'utf8' }],
  });
  assert.equal([recs[1].offset, recs[1].timestamp, recs[1].key, recs[1].value, recs[1].valueFormat], [101, 999, null, '0001ff', 'hex']);
  assert.equal([recs[2].offset, recs[2].value], [102, 'z'.repeat(200)]);
  assert.equal(recs[3].control, { type: 'COMMIT', coordinatorEpoch: 9 });
  const tail = r.lines.find((l) => l.type === 'tail');
  assert.equal([tail.position, tail.kind, tail.bytes], [a.length + b.length + c.length, 'partial', 30]);
  assert.equal(r.lines.at(-1), { type: 'file-end', file: file(100, 'log'), batches: 3, records: 4, validBytes: a.length + b.length + c.length, fileSize: a.length + b.length + c.length + 30 });
});

test('text output; --print-data-log alias; CRC mismatch shown', () => {
  const bad = Buffer.concat([a, b]);
  bad[bad.length - 1] ^= 0x55;
  writeFileSync(file(0, 'log'), bad);
  const r = cli(file(0, 'log'), '--print-data-log');
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.ok(lines.includes(`Dumping ${file(0, 'log')}`));
  assert.ok(lines.some((l) => l.startsWith('baseOffset: 100 lastOffset: 101 count: 2 position: 0 ') && l.includes('isValid: true')));
  assert.ok(lines.some((l) => l.startsWith(`baseOffset: 102 lastOffset: 102 count: 1 position: ${a.length} `) && l.includes('isValid: false')));
  assert.ok(lines.includes('| offset: 100 CreateTime: 1000 key: "k1" value: "hello" headers: ["h"="x", "h"=null]'), r.stdout);
  assert.ok(lines.includes('| offset: 101 CreateTime: 999 key: null value: 0x0001ff headers: []'));
});

test('index and timeindex: absolute offsets, stop at the preallocated zero tail', () => {
  const idx = Buffer.alloc(8 * 6);
  [[0, 0], [3, 80], [9, 400]].forEach(([o, p], i) => { idx.writeInt32BE(o!, i * 8); idx.writeInt32BE(p!, i * 8 + 4); });
  writeFileSync(file(500, 'index'), idx);
  const tidx = Buffer.alloc(12 * 4);
  [[1000, 0], [1500, 7]].forEach(([t, o], i) => { tidx.writeBigInt64BE(BigInt(t!), i * 12); tidx.writeInt32BE(o!, i * 12 + 8); });
  writeFileSync(file(500, 'timeindex'), tidx);
  const r = cli(file(500, 'index'), file(500, 'timeindex'), '--json');
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.lines.filter((l) => l.type === 'index-entry').map((l) => [l.offset, l.position]), [[500, 0], [503, 80], [509, 400]]);
  assert.equal(r.lines.filter((l) => l.type === 'timeindex-entry').map((l) => [l.timestamp, l.offset]), [[1000, 500], [1500, 507]]);
  const text = cli(file(500, 'index'));
  assert.ok(text.stdout.split('\n').includes('offset: 503 position: 80'));
});

test('not a segment file or missing: exit 1 with a message', () => {
  const other = join(dir, 'notes.txt');
  writeFileSync(other, 'x');
  const r = cli(other, file(999, 'log'), '--json');
  assert.is(r.code, 1);
  const errors = r.lines.filter((l) => l.type === 'error');
  assert.is(errors.length, 2);
  assert.match(errors[0].message, /not a segment file/);
  assert.match(errors[1].message, /ENOENT/);
});

test('chunked reading gives the same output as one read (batches cross chunk boundaries)', async () => {
  const batches = Array.from({ length: 200 }, (_, i) => buildBatch(Array.from({ length: 1 + (i % 5) }, (_, j) => ({ value: `r${i}-${j}`.repeat(1 + (i % 9)), timestamp: i })), { baseOffset: i * 5 }));
  writeFileSync(file(1000, 'log'), Buffer.concat([...batches, batches[0]!.subarray(0, 70)]));
  const run = async (chunkBytes: number) => {
    const lines: string[] = [];
    const code = await dumpLog([file(1000, 'log')], { json: true, printRecords: true, chunkBytes }, (l) => { lines.push(l); });
    return { code, lines };
  };
  const whole = await run(1 << 22);
  for (const chunk of [64, 100, 777]) assert.equal(await run(chunk), whole);
  const end = JSON.parse(whole.lines.at(-1)!);
  assert.equal([end.batches, end.records, end.fileSize - end.validBytes], [200, batches.reduce((n, _, i) => n + 1 + (i % 5), 0), 70]);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
