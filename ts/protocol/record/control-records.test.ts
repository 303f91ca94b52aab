import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readBatches } from './batch-reader.js';
import {
  buildEndTxnMarkerBatch, encodeControlRecordKey, encodeEndTransactionMarker, parseControlRecordKey, parseEndTransactionMarker,
} from './control-records.js';

test('control key and end-txn marker bytes', () => {
  assert.is(encodeControlRecordKey('COMMIT').toString('hex'), '00000001');
  assert.is(encodeControlRecordKey('ABORT').toString('hex'), '00000000');
  assert.is(encodeEndTransactionMarker(258).toString('hex'), '000000000102');
  assert.equal(parseControlRecordKey(Buffer.from('00000001', 'hex')), { version: 0, type: 1, typeName: 'COMMIT' });
  assert.equal(parseControlRecordKey(Buffer.from('00000006', 'hex')), { version: 0, type: 6, typeName: 'KRAFT_VOTERS' });
  assert.equal(parseControlRecordKey(Buffer.from('00000063', 'hex')), { version: 0, type: -1, typeName: 'UNKNOWN' });
  assert.equal(parseEndTransactionMarker(Buffer.from('000000000102', 'hex')), { version: 0, coordinatorEpoch: 258 });
});

test('short or null control data: CORRUPT_RECORD', () => {
  for (const fn of [() => parseControlRecordKey(null), () => parseControlRecordKey(Buffer.from('0000', 'hex')),
    () => parseEndTransactionMarker(Buffer.from('0000', 'hex'))]) {
    try { fn(); assert.unreachable(); } catch (e) { assert.is((e as { code: string }).code, 'CORRUPT_RECORD'); }
  }
});

test('end-txn marker batch: control + transactional, one record, sequence -1', () => {
  const b = buildEndTxnMarkerBatch({ commit: false, producerId: 42, producerEpoch: 3, coordinatorEpoch: 7, baseOffset: 100, now: 5 });
  const [v] = [...readBatches(b)];
  assert.equal([v!.isControl, v!.isTransactional, v!.producerId, v!.producerEpoch, v!.baseSequence, v!.recordsCount, v!.baseOffset, v!.compression],
    [true, true, 42, 3, -1, 1, 100, 0]);
  assert.ok(v!.crcValid());
  const [r] = v!.records();
  assert.is(parseControlRecordKey(r!.key).typeName, 'ABORT');
  assert.equal(parseEndTransactionMarker(r!.value), { version: 0, coordinatorEpoch: 7 });
  assert.is(r!.timestamp, 5);
});

test.run();
