// Replays every corpus file (seeds and regressions/) through the TS targets, and through the
// native targets built with g++ and replay_main.cc (ASan/UBSan when the toolchain has them).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { corpusDir, corpusFiles, readCorpus } from './corpus.js';
import { buildReplayBinaries, NATIVE_TARGETS, runReplay } from './native-build.js';
import { TS_TARGETS } from './targets.js';

for (const target of TS_TARGETS) {
  if (!target.corpus || !target.replay) continue;
  test(`${target.name}: every ${target.corpus} corpus file`, async () => {
    const files = readCorpus(target.corpus!);
    assert.ok(files.length > 0, `fuzz/corpus/${target.corpus} is empty`);
    for (const f of files) {
      try { await target.replay!(f.bytes); } catch (err) { assert.unreachable(`${f.path}: ${(err as Error).message}`); }
    }
  });
}

test('native targets (g++ replay build) over every corpus file', async () => {
  const bins = await buildReplayBinaries();
  for (const t of NATIVE_TARGETS) {
    const expected = corpusFiles(t.corpus).length;
    const r = runReplay(bins.get(t.name)!, [corpusDir(t.corpus)]);
    assert.is(r.status, 0, `${t.name} failed:\n${r.output}`);
    assert.is(r.replayed, expected, `${t.name} replayed ${r.replayed} of ${expected} files`);
  }
});

test.run();
