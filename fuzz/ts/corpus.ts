// Where the seed corpora live and how to list them. One directory per target under
// fuzz/corpus/<target>/ (seeds, written by make-corpus.ts) with a regressions/ subdirectory for
// inputs that once failed (kept forever, replayed by regressions.test.ts). File contents are the
// raw fuzz input of that target; their layout is described at the top of each target's file.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FUZZ_DIR = fileURLToPath(new URL('..', import.meta.url));
export const CORPUS_DIR = join(FUZZ_DIR, 'corpus');

/** Corpus directory names, shared by the native and TS sides. */
export const CORPORA = ['batch-scan', 'segment-recover', 'index-lookup', 'crc32c', 'protocol'] as const;
export type CorpusName = (typeof CORPORA)[number];

export function corpusDir(name: CorpusName): string {
  return join(CORPUS_DIR, name);
}

/** Every file of a corpus (seeds and regressions), sorted by path. */
export function corpusFiles(name: CorpusName): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try { names = readdirSync(dir); } catch { return; }
    for (const n of names) {
      if (n.startsWith('.') || n === 'README.md') continue;
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(corpusDir(name));
  return out.sort();
}

export function readCorpus(name: CorpusName): { path: string; bytes: Buffer }[] {
  return corpusFiles(name).map((path) => ({ path, bytes: readFileSync(path) }));
}

/** Writes `bytes` as `<prefix>-<sha1 prefix>` (content-addressed, so rewriting is idempotent). */
export function writeCorpusFile(name: CorpusName, prefix: string, bytes: Uint8Array, sub = ''): string {
  const dir = join(corpusDir(name), sub);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${prefix}-${createHash('sha1').update(bytes).digest('hex').slice(0, 12)}`);
  writeFileSync(path, bytes);
  return path;
}
