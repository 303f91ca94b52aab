import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatRecord, renderBytes, type ConsumedRecord } from './record-format.js';

const rec: ConsumedRecord = {
  partition: 2, offset: 41, timestamp: 1718000000000, logAppendTime: false,
  key: Buffer.from('k'), value: Buffer.from('héllo\tworld'), headers: [['a', Buffer.from('1')], ['a', null]],
};

test('renderBytes: text as is; binary, newlines and controls as base64:; null as null', () => {
  assert.is(renderBytes(Buffer.from('plain text')), 'plain text');
  assert.is(renderBytes(Buffer.from([0xff, 0x00, 0x01])), 'base64:/wAB');
  assert.is(renderBytes(Buffer.from('two\nlines')), `base64:${Buffer.from('two\nlines').toString('base64')}`);
  assert.is(renderBytes(null), 'null');
  assert.is(renderBytes(Buffer.alloc(0)), '');
});

test('formatRecord: Kafka console consumer field order, only the fields asked for', () => {
  assert.is(formatRecord(rec, {}), 'héllo\tworld\n');
  assert.is(formatRecord(rec, { printKey: true, keySeparator: '=' }), 'k=héllo\tworld\n');
  assert.is(formatRecord(rec, { printKey: true, printHeaders: true, printOffset: true, printPartition: true, printTimestamp: true }),
    'CreateTime:1718000000000\tPartition:2\tOffset:41\ta:1,a:null\tk\théllo\tworld\n');
  assert.is(formatRecord({ ...rec, headers: [], logAppendTime: true, key: null }, { printHeaders: true, printTimestamp: true, printKey: true }),
    'LogAppendTime:1718000000000\tNO_HEADERS\tnull\théllo\tworld\n');
});

test.run();
