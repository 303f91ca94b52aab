// Kafka's text checkpoint files (CheckpointFile.java / OffsetCheckpointFile.java):
//
//   0                 <- version
//   2                 <- entry count
//   orders 0 1234     <- `topic partition offset`, whitespace separated
//   orders 1 99
//
// The same frame (version, count, lines) carries the leader-epoch-checkpoint (`epoch startOffset`
// lines). Writes are atomic: `<file>.tmp`, fsync, rename over the file, fsync the directory, so a
// crash leaves either the old or the new file, never a torn one. Parsing is strict and throws
// CheckpointFormatError; callers treat a malformed file as absent (and recover from the log).
import { promises as fsp, readFileSync, openSync, writeSync, fsyncSync, closeSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { CheckpointFormatError } from './errors.js';

export const CHECKPOINT_VERSION = 0;

/** Parses the frame; returns each entry line split on whitespace. */
export function parseCheckpointLines(path: string, text: string, fieldsPerLine: number): string[][] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 2) throw new CheckpointFormatError(path, 'fewer than 2 header lines');
  if (lines[0].trim() !== String(CHECKPOINT_VERSION)) throw new CheckpointFormatError(path, `unsupported version "${lines[0].slice(0, 20)}"`);
  const count = lines[1].trim();
  if (!/^\d+$/.test(count)) throw new CheckpointFormatError(path, `bad entry count "${count.slice(0, 20)}"`);
  if (Number(count) !== lines.length - 2) throw new CheckpointFormatError(path, `count says ${count} entries, found ${lines.length - 2}`);
  return lines.slice(2).map((line, i) => {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== fieldsPerLine) throw new CheckpointFormatError(path, `line ${i + 3} has ${parts.length} fields, expected ${fieldsPerLine}`);
    return parts;
  });
}

export function formatCheckpoint(entries: readonly (readonly (string | number)[])[]): string {
  return `${CHECKPOINT_VERSION}\n${entries.length}\n${entries.map((e) => e.join(' ')).join('\n')}${entries.length ? '\n' : ''}`;
}

function parseOffset(path: string, s: string): number {
  if (!/^-?\d+$/.test(s)) throw new CheckpointFormatError(path, `"${s.slice(0, 20)}" is not an integer`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new CheckpointFormatError(path, `${s.slice(0, 24)} is not a safe integer`);
  return n;
}

/** `topic partition offset` entries keyed by `${topic}-${partition}`. */
export function parseOffsetCheckpoint(path: string, text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [topic, p, off] of parseCheckpointLines(path, text, 3)) {
    const partition = parseOffset(path, p);
    out.set(`${topic}-${partition}`, parseOffset(path, off));
  }
  return out;
}

/** `epoch startOffset` entries. */
export function parseEpochCheckpoint(path: string, text: string): { epoch: number; startOffset: number }[] {
  return parseCheckpointLines(path, text, 2).map(([e, o]) => ({ epoch: parseOffset(path, e), startOffset: parseOffset(path, o) }));
}

async function fsyncDir(dir: string): Promise<void> {
  const h = await fsp.open(dir, 'r');
  try { await h.sync(); } finally { await h.close(); }
}

/** Atomic write: tmp file, fsync, rename, fsync dir. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const h = await fsp.open(tmp, 'w');
  try {
    await h.writeFile(text);
    await h.sync();
  } finally { await h.close(); }
  await fsp.rename(tmp, path);
  await fsyncDir(dirname(path));
}

/** Synchronous twin for shutdown paths and tests. */
export function writeFileAtomicSync(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try { writeSync(fd, text); fsyncSync(fd); } finally { closeSync(fd); }
  renameSync(tmp, path);
  const d = openSync(dirname(path), 'r');
  try { fsyncSync(d); } finally { closeSync(d); }
}

export class OffsetCheckpointFile {
  constructor(readonly path: string) {}

  async write(offsets: Map<string, number> | Iterable<[string, number, number]>): Promise<void> {
    await writeFileAtomic(this.path, formatCheckpoint(toRows(offsets)));
  }

  /** Returns the entries, an empty map when the file does not exist; throws CheckpointFormatError. */
  read(): Map<string, number> {
    let text: string;
    try { text = readFileSync(this.path, 'latin1'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw e;
    }
    return parseOffsetCheckpoint(this.path, text);
  }
}

function toRows(offsets: Map<string, number> | Iterable<[string, number, number]>): (string | number)[][] {
  const rows: (string | number)[][] = [];
  if (offsets instanceof Map) {
    for (const [key, off] of offsets) {
      const dash = key.lastIndexOf('-');
      rows.push([key.slice(0, dash), key.slice(dash + 1), off]);
    }
  } else for (const [t, p, o] of offsets) rows.push([t, p, o]);
  return rows;
}
