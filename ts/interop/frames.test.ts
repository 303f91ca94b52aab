// Every captured real-client request frame (ts/interop/frames/*.bin, written by
// capture-frames.ts) decodes with the protocol layer without error, matches the api/version in
// its file name, and re-encodes to the very same bytes (nothing lost, nothing left over).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { API_NAMES, decodeRequest, encodeRequest } from '../protocol/index.js';
import { kebabApiName } from '../testing/kafka-proxy.js';

const DIR = fileURLToPath(new URL('./frames/', import.meta.url));
const CLIENTS = ['kafkajs', 'platformatic', 'kcat', 'confluent-kafka', 'kafka-python'];
const files = readdirSync(DIR).filter((f) => f.endsWith('.bin')).sort();
const NAME_RE = /^([a-z-]+)-v(\d+)-(kafkajs|platformatic|kcat|confluent-kafka|kafka-python)\.bin$/;

test('frames exist for every client (run ts/interop/capture-frames.ts to refresh)', () => {
  for (const client of CLIENTS) {
    const mine = files.filter((f) => f.endsWith(`-${client}.bin`));
    assert.ok(mine.length >= 4, `${client}: ${mine.length} frames`);
    for (const api of ['api-versions', 'metadata', 'produce', 'fetch']) {
      assert.ok(mine.some((f) => f.startsWith(`${api}-v`)), `${client} has a ${api} frame`);
    }
  }
});

for (const file of files) {
  test(`decode + re-encode ${file}`, () => {
    const m = NAME_RE.exec(file);
    assert.ok(m, `file name ${file} is <api>-v<N>-<client>.bin`);
    const frame = readFileSync(DIR + file);
    const req = decodeRequest(frame);
    assert.is(kebabApiName(API_NAMES[req.apiKey]), m![1], 'api key matches the file name');
    assert.is(req.apiVersion, Number(m![2]), 'api version matches the file name');
    const again = encodeRequest(req.apiKey, req.apiVersion, req.header.correlationId, req.header.clientId, req.body as object).subarray(4);
    if (!again.equals(frame)) {
      let i = 0;
      while (i < frame.length && again[i] === frame[i]) i++;
      assert.unreachable(`re-encoded ${again.length} bytes vs ${frame.length} captured; first difference at byte ${i}`);
    }
  });
}

test.run();
