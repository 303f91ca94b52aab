import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BatchScanError, Status, statusCode } from './status.js';

test('status.ts mirrors native/src/core/status.h exactly', () => {
  const header = fs.readFileSync(fileURLToPath(new URL('../../native/src/core/status.h', import.meta.url)), 'utf8');
  const body = header.slice(header.indexOf('enum class Status'), header.indexOf('};'));
  const fromHeader: Record<string, number> = {};
  for (const m of body.matchAll(/^\s*(\w+)\s*=\s*(-?\d+),/gm)) fromHeader[m[1]] = Number(m[2]);
  assert.ok(Object.keys(fromHeader).length >= 12);
  assert.equal({ ...Status }, fromHeader);
});

test('status codes and BatchScanError', () => {
  assert.is(statusCode(Status.CrcMismatch), 'CRC_MISMATCH');
  assert.is(statusCode(Status.BatchLengthOutOfBounds), 'BATCH_LENGTH_OUT_OF_BOUNDS');
  assert.is(statusCode(-99), 'UNKNOWN_STATUS_-99');
  const e = new BatchScanError(Status.BadMagic, 'BAD_MAGIC at batch 0', 0, 0);
  assert.is(e.code, 'SAMSA_BATCH_INVALID');
  assert.is(e.statusCode, 'BAD_MAGIC');
  assert.ok(e instanceof Error);
});

test.run();
