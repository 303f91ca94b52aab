import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { API_FLEXIBLE_FROM, API_SCHEMA_VERSIONS, ApiKey } from './generated/api-keys.js';
import { readRequestHeader, requestHeaderVersion, responseHeaderVersion, writeRequestHeader } from './headers.js';
import { Reader } from './primitives/reader.js';
import { Writer } from './primitives/writer.js';

test('header versions for every api key and version', () => {
  let checked = 0;
  for (const [key, [lo, hi]] of Object.entries(API_SCHEMA_VERSIONS)) {
    const apiKey = Number(key);
    const flexFrom = API_FLEXIBLE_FROM[apiKey];
    for (let v = lo; v <= hi; v++) {
      const flexible = flexFrom !== null && flexFrom !== undefined && v >= flexFrom;
      const req = apiKey === ApiKey.ControlledShutdown && v === 0 ? 0 : flexible ? 2 : 1;
      const resp = apiKey === ApiKey.ApiVersions ? 0 : flexible ? 1 : 0;
      assert.is(requestHeaderVersion(apiKey, v), req, `request header ${apiKey} v${v}`);
      assert.is(responseHeaderVersion(apiKey, v), resp, `response header ${apiKey} v${v}`);
      checked++;
    }
  }
  assert.ok(checked > 300);
  // Spot checks against Kafka's table.
  assert.is(requestHeaderVersion(ApiKey.Produce, 8), 1);
  assert.is(requestHeaderVersion(ApiKey.Produce, 9), 2);
  assert.is(requestHeaderVersion(ApiKey.Fetch, 12), 2);
  assert.is(requestHeaderVersion(ApiKey.ControlledShutdown, 0), 0);
  assert.is(requestHeaderVersion(ApiKey.ControlledShutdown, 1), 1);
  assert.is(responseHeaderVersion(ApiKey.ApiVersions, 3), 0);
  assert.is(responseHeaderVersion(ApiKey.Metadata, 9), 1);
  assert.is(requestHeaderVersion(ApiKey.SaslHandshake, 1), 1);
});

test('request header v0/v1/v2 bytes; v2 clientId keeps the int16 length', () => {
  const enc = (apiKey: number, v: number, clientId: string | null) => {
    const w = new Writer(16);
    writeRequestHeader(w, { apiKey, apiVersion: v, correlationId: 7, clientId });
    return w.finish().toString('hex');
  };
  assert.is(enc(ApiKey.ControlledShutdown, 0, 'x'), '0007' + '0000' + '00000007');
  assert.is(enc(ApiKey.Metadata, 1, 'ab'), '0003' + '0001' + '00000007' + '0002' + '6162');
  assert.is(enc(ApiKey.Metadata, 9, 'ab'), '0003' + '0009' + '00000007' + '0002' + '6162' + '00');
  assert.is(enc(ApiKey.Metadata, 1, null), '0003' + '0001' + '00000007' + 'ffff');
  const h = readRequestHeader(new Reader(Buffer.from('0003000900000007000261620103026162', 'hex')));
  assert.equal({ ...h, _unknownTags: h._unknownTags!.map((t) => [t.tag, t.data.toString()]) },
    { apiKey: 3, apiVersion: 9, correlationId: 7, clientId: 'ab', headerVersion: 2, _unknownTags: [[3, 'ab']] });
});

test.run();
