// Drift check: regenerating from ../shared/kafka-message-schemas must reproduce the committed
// ts/protocol/generated/ byte for byte. Skips when the schema directory is not present.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_OUT_DIR, DEFAULT_SCHEMA_DIR, generate, writeGenerated } from './generate.js';
import { stripJsonComments } from './load-schemas.js';

test('stripJsonComments keeps // inside strings', () => {
  const text = '{ "a": "http://x", // note\n "b": 1 }';
  assert.equal(JSON.parse(stripJsonComments(text)), { a: 'http://x', b: 1 });
});

if (existsSync(DEFAULT_SCHEMA_DIR)) {
  test('committed generated output matches a fresh generation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-'));
    try {
      writeGenerated(generate(DEFAULT_SCHEMA_DIR), dir);
      const names = readdirSync(dir).sort();
      assert.equal(names, readdirSync(DEFAULT_OUT_DIR).sort());
      for (const name of names) {
        const fresh = readFileSync(join(dir, name), 'utf8');
        const committed = readFileSync(join(DEFAULT_OUT_DIR, name), 'utf8');
        assert.ok(fresh === committed,
          `ts/protocol/generated/${name} drifted; run: node --import tsx ts/protocol/codegen/generate.ts`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
} else {
  test.skip('committed generated output matches a fresh generation (no ../shared/kafka-message-schemas)', () => {});
}

test.run();
