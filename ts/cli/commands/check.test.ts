import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBatch } from '../../protocol/record/batch-builder.js';
import { checkDir } from './check.js';

const root = mkdtempSync(join(tmpdir(), 'samsa-'));
const name = (base: number, ext: string) => `${String(base).padStart(20, '0')}.${ext}`;

function batch(baseOffset: number, n: number, ts = 1000): Buffer {
  return buildBatch(Array.from({ length: n }, (_, i) => ({ key: `k${baseOffset + i}`, value: `v${baseOffset + i}`, timestamp: ts + baseOffset + i })), { baseOffset, partitionLeaderEpoch: 0 });
}

interface Seg { base: number; batches: Buffer[]; index?: Array<[number, number]>; timeindex?: Array<[number, number]>; preallocate?: boolean }

/** Writes segments; index entries default to one per batch: (lastOffset, position). */
function writePartition(dir: string, segs: Seg[]): { positions: number[][] } {
  mkdirSync(dir, { recursive: true });
  const positions: number[][] = [];
  for (const s of segs) {
    const pos: number[] = [];
    let p = 0;
    for (const b of s.batches) { pos.push(p); p += b.length; }
    positions.push(pos);
    writeFileSync(join(dir, name(s.base, 'log')), Buffer.concat(s.batches));
    const idx = s.index ?? s.batches.map((b, i) => [Number(b.readBigInt64BE(0)) + b.readInt32BE(23), pos[i]!] as [number, number]);
    const ib = Buffer.alloc((idx.length + (s.preallocate ? 4 : 0)) * 8);
    idx.forEach(([o, q], i) => { ib.writeInt32BE(o - s.base, i * 8); ib.writeInt32BE(q, i * 8 + 4); });
    writeFileSync(join(dir, name(s.base, 'index')), ib);
    const tidx = s.timeindex ?? [];
    const tb = Buffer.alloc(tidx.length * 12);
    tidx.forEach(([t, o], i) => { tb.writeBigInt64BE(BigInt(t), i * 12); tb.writeInt32BE(o - s.base, i * 12 + 8); });
    writeFileSync(join(dir, name(s.base, 'timeindex')), tb);
  }
  writeFileSync(join(dir, 'leader-epoch-checkpoint'), '0\n1\n0 0\n');
  return { positions };
}

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function digest(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => { for (const n of readdirSync(d).sort()) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else h.update(p).update(readFileSync(p)); } };
  walk(dir);
  return h.digest('hex');
}

test('clean log dir: exit 0, no problems, counts in the summary', () => {
  const logDir = join(root, 'clean');
  writePartition(join(logDir, 'orders-0'), [
    { base: 0, batches: [batch(0, 3), batch(3, 2)], timeindex: [[1002, 2], [1004, 4]], preallocate: true },
    { base: 5, batches: [batch(5, 1), batch(6, 4)] },
  ]);
  writePartition(join(logDir, 'orders-1'), [{ base: 0, batches: [batch(0, 1)] }]);
  writeFileSync(join(logDir, 'recovery-point-offset-checkpoint'), '0\n2\norders 0 10\norders 1 1\n');
  const r = cli('check', logDir, '--json');
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.problems, []);
  assert.equal(out.summary, { partitions: 2, segments: 3, batches: 5, indexEntries: 2 + 2 + 2 + 1, problems: 0 });
  const text = cli('check', join(logDir, 'orders-0'));
  assert.is(text.code, 0);
  assert.match(text.stdout, /checked 1 partition\(s\), 2 segment\(s\), 4 batch\(es\).*no problems/);
});

test('each defect is reported at the right file and position; files are left unchanged', async () => {
  const logDir = join(root, 'broken');
  // crc: second batch's last byte flipped.
  const crc = writePartition(join(logDir, 'crc-0'), [{ base: 0, batches: [batch(0, 2), batch(2, 2), batch(4, 1)] }]);
  const crcLog = join(logDir, 'crc-0', name(0, 'log'));
  const bytes = readFileSync(crcLog);
  bytes[crc.positions[0]![2]! - 1] ^= 0x01;
  writeFileSync(crcLog, bytes);
  // torn tail.
  const torn = writePartition(join(logDir, 'torn-0'), [{ base: 0, batches: [batch(0, 2), batch(2, 2).subarray(0, 40)], index: [[1, 0]] }]);
  // index entry pointing inside a batch; second entry's offset above its batch.
  writePartition(join(logDir, 'idx-0'), [{ base: 10, batches: [batch(10, 2), batch(12, 3)], index: [[11, 0], [12, 5]] }]);
  // time index going backwards, and an offset past the end of the segment.
  writePartition(join(logDir, 'tidx-0'), [{ base: 0, batches: [batch(0, 3)], timeindex: [[1002, 1], [1001, 2], [1003, 9]] }]);
  // first batch below the file's base offset; second segment overlapping the first.
  writePartition(join(logDir, 'offs-0'), [{ base: 0, batches: [batch(0, 5)] }, { base: 3, batches: [batch(3, 2)], index: [] }]);
  writePartition(join(logDir, 'below-0'), [{ base: 7, batches: [batch(6, 2)], index: [] }]);
  writeFileSync(join(logDir, 'torn-0', 'leader-epoch-checkpoint'), '0\n2\n0 0\n');
  const before = digest(logDir);
  const r = cli('check', logDir, '--json');
  assert.is(r.code, 1, r.stderr);
  const { problems, summary } = JSON.parse(r.stdout) as { problems: { file: string; position: number | null; message: string }[]; summary: { problems: number } };
  const got = problems.map((p) => `${p.file.slice(logDir.length + 1)} @${p.position}`);
  assert.equal(got, [
    `below-0/${name(7, 'log')} @0`,
    `crc-0/${name(0, 'log')} @${crc.positions[0]![1]}`,
    `crc-0/${name(0, 'index')} @8`, // entries for the bad batch and the one after it point past the valid data
    `crc-0/${name(0, 'index')} @16`,
    `idx-0/${name(10, 'index')} @8`,
    `offs-0/${name(3, 'log')} @null`,
    `offs-0/${name(3, 'log')} @0`,
    `tidx-0/${name(0, 'timeindex')} @12`,
    `tidx-0/${name(0, 'timeindex')} @24`,
    `torn-0/${name(0, 'log')} @${torn.positions[0]![1]}`,
    'torn-0/leader-epoch-checkpoint @null',
  ]);
  assert.is(summary.problems, problems.length);
  assert.match(problems[1]!.message, /CRC/);
  assert.match(problems[4]!.message, /not the start of a batch/);
  assert.match(problems[7]!.message, /timestamp is below/);
  assert.match(problems[8]!.message, /beyond the segment's last valid offset 2/);
  assert.match(problems[9]!.message, /torn tail/);
  assert.is(digest(logDir), before, 'check must not change any file');
  const text = cli('check', join(logDir, 'torn-0'));
  assert.is(text.code, 1);
  assert.ok(text.stdout.includes(`${join(logDir, 'torn-0', name(0, 'log'))}: position ${torn.positions[0]![1]}: torn tail`), text.stdout);
  // The same through the function, with tiny chunks: batches cross chunk boundaries.
  const direct = await checkDir(logDir, { chunkBytes: 64 });
  assert.equal(direct.problems.map((p) => `${p.file.slice(logDir.length + 1)} @${p.position}`), got);
});

test('bad arguments: exit 2 with a message', () => {
  const r = cli('check', join(root, 'does-not-exist'));
  assert.is(r.code, 2);
  assert.match(r.stderr, /does not exist/);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
