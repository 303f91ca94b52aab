import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCommandConfig } from './command-config.js';

const dir = mkdtempSync(join(tmpdir(), 'samsa-'));
test.after(() => { rmSync(dir, { recursive: true, force: true }); });

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('SASL_PLAINTEXT with a JAAS line; client.id and timeouts; unknown keys warned once', () => {
  const warnings: string[] = [];
  const path = file('sasl.properties', [
    'client.id=ops', 'request.timeout.ms=2000', 'security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=SCRAM-SHA-256',
    'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="s\\\\\\"x";',
    'linger.ms=5', 'acks=all',
  ].join('\n'));
  const o = readCommandConfig(path, (l) => warnings.push(l));
  assert.is(o.clientId, 'ops');
  assert.is(o.timeout, 2000);
  assert.equal(o.sasl, { mechanism: 'SCRAM-SHA-256', username: 'alice', password: 's"x' });
  assert.is(o.tls, undefined);
  assert.equal(warnings, [`${path}: ignoring settings these commands do not use: linger.ms, acks`]);
});

test('problems are one ConfigError naming file:line; Java keystores are refused with the PEM hint', () => {
  const path = file('bad.properties', 'security.protocol=SASL_SSL\nsasl.mechanism=GSSAPI\nssl.truststore.location=/x.jks\n');
  try {
    readCommandConfig(path, () => undefined);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'SAMSA_CONFIG');
    const lines = (err as Error).message.split('\n');
    assert.is(lines.length, 3);
    assert.match(lines[0], `${path}:3: ssl.truststore.location: '/x.jks': Java keystores are not readable from Node`);
    assert.match(lines[1], `${path}:2: sasl.mechanism: 'GSSAPI': must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512`);
    assert.match(lines[2], 'sasl.jaas.config: needs username=');
  }
  try {
    readCommandConfig(join(dir, 'missing.properties'));
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /cannot read --command-config file '.*missing\.properties': no such file/);
  }
});

test.run();
