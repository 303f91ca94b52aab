// `samsa check <dir>`: read-only consistency check of a partition directory (`<topic>-<n>`,
// holding *.log) or of a log dir holding partition directories. Nothing is written: files are
// opened read-only, indexes are not rebuilt, tails are not truncated.
//
// Per segment (in base-offset order):
//   .log        every batch validated by the native scanner in replica mode (length, magic 2,
//               CRC-32C, record count vs lastOffsetDelta, offsets increasing); the first batch's
//               baseOffset >= the file name's base offset; offsets keep increasing across
//               segments; a torn or corrupt tail is a problem.
//   .index      entries: offsets strictly increasing, positions increasing and within the file,
//               each position the start of a batch B, with (batch before B).lastOffset < offset
//               <= B.lastOffset (so a lookup that starts at B misses nothing).
//   .timeindex  timestamps non-decreasing, offsets non-decreasing and within the segment.
// Per directory: checkpoint files parse (offset checkpoints, leader-epoch-checkpoint,
// partition.metadata).
// Each problem is printed as `<file>: position <p>: <what is wrong>`; then a summary. Exit 1
// when any problem was found, 0 otherwise (2 for bad arguments).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { parseEpochCheckpoint, parseOffsetCheckpoint } from '../../storage/checkpoint-file.js';
import { CliUsageError } from '../cli-error.js';
import { checkSegmentIndexes, checkSegmentLog, type Problem, type SegmentSummary } from '../segment-check.js';
import { parseSegmentFileName } from '../segment-files.js';

export type { Problem };

export interface CheckReport {
  problems: Problem[];
  partitions: number;
  segments: number;
  batches: number;
  indexEntries: number;
}

const PARTITION_DIR = /^.+-\d+$/;
const LOG_DIR_OFFSET_CHECKPOINTS = ['recovery-point-offset-checkpoint', 'log-start-offset-checkpoint',
  'replication-offset-checkpoint', 'cleaner-offset-checkpoint'];

export function formatProblem(p: Problem): string {
  return p.position === null ? `${p.file}: ${p.message}` : `${p.file}: position ${p.position}: ${p.message}`;
}

async function exists(path: string): Promise<boolean> {
  try { await stat(path); return true; } catch { return false; }
}

async function checkTextFile(path: string, report: CheckReport, parse: (text: string) => void): Promise<void> {
  if (!(await exists(path))) return;
  try {
    parse(await readFile(path, 'utf8'));
  } catch (err) {
    report.problems.push({ file: path, position: null, message: (err as Error).message });
  }
}

async function checkPartitionDir(dir: string, report: CheckReport, chunkBytes?: number): Promise<void> {
  report.partitions++;
  const names = (await readdir(dir)).sort();
  const logs = names.map((n) => ({ n, f: parseSegmentFileName(n) })).filter((x) => x.f?.kind === 'log')
    .map((x) => ({ file: join(dir, x.n), baseOffset: x.f!.baseOffset })).sort((a, b) => a.baseOffset - b.baseOffset);
  if (logs.length === 0) report.problems.push({ file: dir, position: null, message: 'no .log segment (a partition always has an active segment)' });
  let prev: SegmentSummary | null = null;
  for (const seg of logs) {
    report.segments++;
    if (prev !== null && prev.lastOffset !== null && seg.baseOffset <= prev.lastOffset) {
      report.problems.push({ file: seg.file, position: null, message: `segment base offset ${seg.baseOffset} is not above the previous segment's last offset ${prev.lastOffset}` });
    }
    const summary = await checkSegmentLog(seg.file, seg.baseOffset, prev?.lastOffset ?? null, report.problems, chunkBytes);
    report.batches += summary.batches.length;
    const stem = seg.file.slice(0, -'.log'.length);
    report.indexEntries += await checkSegmentIndexes(`${stem}.index`, `${stem}.timeindex`, seg.baseOffset, summary, report.problems);
    if (summary.lastOffset !== null || prev === null) prev = summary;
  }
  await checkTextFile(join(dir, 'leader-epoch-checkpoint'), report, (t) => { parseEpochCheckpoint(join(dir, 'leader-epoch-checkpoint'), t); });
  await checkTextFile(join(dir, 'partition.metadata'), report, (t) => {
    if (!/^version: 0\ntopic_id: \S+\n?$/.test(t)) throw new Error('expected "version: 0" then "topic_id: <id>"');
  });
}

/** Checks `dir` (a partition dir or a log dir) and returns every problem found. */
export async function checkDir(dir: string, opts: { chunkBytes?: number } = {}): Promise<CheckReport> {
  const report: CheckReport = { problems: [], partitions: 0, segments: 0, batches: 0, indexEntries: 0 };
  let st;
  try { st = await stat(dir); } catch { throw new CliUsageError(`${dir} does not exist: give a partition directory (<topic>-<n>) or a log directory`); }
  if (!st.isDirectory()) throw new CliUsageError(`${dir} is not a directory: give a partition directory (<topic>-<n>) or a log directory`);
  const names = await readdir(dir);
  const isPartition = names.some((n) => parseSegmentFileName(n)?.kind === 'log') || PARTITION_DIR.test(basename(dir)) && !names.includes('meta.properties');
  if (isPartition) {
    await checkPartitionDir(dir, report, opts.chunkBytes);
    return report;
  }
  for (const name of LOG_DIR_OFFSET_CHECKPOINTS) {
    await checkTextFile(join(dir, name), report, (t) => { parseOffsetCheckpoint(join(dir, name), t); });
  }
  for (const name of names.sort()) {
    if (!PARTITION_DIR.test(name) || name.endsWith('-delete')) continue;
    if ((await stat(join(dir, name))).isDirectory()) await checkPartitionDir(join(dir, name), report, opts.chunkBytes);
  }
  if (report.partitions === 0 && !names.includes('meta.properties') && !LOG_DIR_OFFSET_CHECKPOINTS.some((n) => names.includes(n))) {
    throw new CliUsageError(`${dir} holds neither segments (*.log) nor partition directories (<topic>-<n>): give a partition or log directory`);
  }
  return report;
}

export function register(program: Command): void {
  program
    .command('check')
    .description('check segments, indexes and checkpoints of a partition or log directory (read-only)')
    .argument('<dir>', 'partition directory (<topic>-<n>) or log directory')
    .option('--json', 'print one JSON document { problems, summary }')
    .action(async (dir: string, o: { json?: boolean }) => {
      const r = await checkDir(dir);
      const summary = { partitions: r.partitions, segments: r.segments, batches: r.batches, indexEntries: r.indexEntries, problems: r.problems.length };
      if (o.json) process.stdout.write(JSON.stringify({ problems: r.problems, summary }) + '\n');
      else {
        for (const p of r.problems) process.stdout.write(formatProblem(p) + '\n');
        process.stdout.write(`checked ${r.partitions} partition(s), ${r.segments} segment(s), ${r.batches} batch(es), ${r.indexEntries} index entries: `
          + `${r.problems.length === 0 ? 'no problems' : `${r.problems.length} problem(s)`}\n`);
      }
      if (r.problems.length > 0) {
        // main.ts sets the exit code from its own return value after the action; keep ours.
        process.exitCode = 1;
        process.once('exit', () => { process.exitCode = 1; });
      }
    });
}
