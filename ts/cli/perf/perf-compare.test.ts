import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compareText, flattenResults, readResults } from './perf-compare.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const mainTs = fileURLToPath(new URL('../main.ts', import.meta.url));

test('bench run files: one row per metric, change and verdict by direction', () => {
  const text = compareText(readResults(fixture('run-a.json')), readResults(fixture('run-b.json')), ['A', 'B']);
  const lines = text.trimEnd().split('\n');
  assert.is(lines.length, 6, text);
  assert.match(lines[0]!, /^metric\s+A\s+B\s+change$/);
  assert.match(lines[1]!, /^produce 1KiB acks=1\s+100\.0 MB\/s\s+150\.0 MB\/s\s+\+50\.0%\s+better$/);
  assert.match(lines[2]!, /^produce p99 latency\s+4\.000 ms\s+6\.000 ms\s+\+50\.0%\s+worse$/);
  assert.match(lines[3]!, /^crc32c 64KiB\s+7\.500 GB\/s\s+7\.600 GB\/s\s+\+1\.3%\s+~$/);
  assert.match(lines[4]!, /^only in a\s+1\.000 MB\/s\s+-\s+only in A$/);
  assert.match(lines[5]!, /^only in b\s+-\s+2\.000 ms\s+only in B$/);
});

test('perf reports flatten to throughput and latency metrics; lower latency is better', () => {
  const a = flattenResults({ tool: 'samsa-perf', mode: 'produce', recordsPerSec: 1000, mbPerSec: 1, latencyMs: { avg: 2, p99: 10 } }, 'a');
  const b = flattenResults({ tool: 'samsa-perf', mode: 'produce', recordsPerSec: 800, mbPerSec: 0.8, latencyMs: { avg: 1, p99: 5 } }, 'b');
  assert.equal([...a.keys()], ['produce records/s', 'produce MB/s', 'produce latency avg', 'produce latency p99']);
  const lines = compareText(a, b, ['A', 'B']).trimEnd().split('\n');
  assert.match(lines[1]!, /-20\.0%\s+worse$/);
  assert.match(lines[3]!, /-50\.0%\s+better$/);
  assert.match(lines[4]!, /-50\.0%\s+better$/);
});

test('samsa perf compare prints the table; bad inputs exit 2 with a reason', () => {
  const ok = spawnSync(process.execPath, ['--import', 'tsx', mainTs, 'perf', 'compare', fixture('run-a.json'), fixture('run-b.json')], { encoding: 'utf8' });
  assert.is(ok.status, 0, ok.stderr);
  assert.is(ok.stdout.trimEnd().split('\n').length, 6);
  assert.match(ok.stdout, /produce 1KiB acks=1 .* better/);
  const missing = spawnSync(process.execPath, ['--import', 'tsx', mainTs, 'perf', 'compare', fixture('run-a.json'), '/nonexistent/x.json'], { encoding: 'utf8' });
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /cannot read '\/nonexistent\/x\.json': no such file/);
  const notJson = spawnSync(process.execPath, ['--import', 'tsx', mainTs, 'perf', 'compare', fixture('run-a.json'), mainTs], { encoding: 'utf8' });
  assert.is(notJson.status, 2);
  assert.match(notJson.stderr, /is not valid JSON/);
});

test.run();
