// __consumer_offsets records: golden bytes (hand-assembled from Kafka's schemas), round trips,
// and group → partition routing with Java's String.hashCode.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeRecord, encodeRecordKey, encodeRecordValue, type GroupRecord } from './records.js';
import { javaStringHashCode, kafkaAbs, offsetsPartitionFor } from './offsets-partition.js';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from './consumer-protocol.js';

const hex = (s: string): string => s.replace(/\s+/g, '');

test('OffsetCommitKey v1 and OffsetCommitValue v3: golden bytes', () => {
  const r: GroupRecord = { type: 'offset', group: 'g', topic: 't', partition: 3, value: { offset: 42, leaderEpoch: 5, metadata: 'm', commitTimestamp: 1000, expireTimestamp: -1 } };
  assert.is(encodeRecordKey(r).toString('hex'), hex('0001 0001 67 0001 74 00000003'));
  assert.is(encodeRecordValue(r)!.toString('hex'), hex('0003 000000000000002a 00000005 0001 6d 00000000000003e8'));
  const back = decodeRecord(encodeRecordKey(r), encodeRecordValue(r));
  assert.equal(back, { type: 'offset', group: 'g', topic: 't', partition: 3, value: { offset: 42, leaderEpoch: 5, metadata: 'm', commitTimestamp: 1000, expireTimestamp: -1 } });
});

test('OffsetCommitValue with an explicit expire timestamp is written at v1', () => {
  const r: GroupRecord = { type: 'offset', group: 'g', topic: 't', partition: 0, value: { offset: 7, leaderEpoch: -1, metadata: '', commitTimestamp: 1000, expireTimestamp: 2000 } };
  assert.is(encodeRecordValue(r)!.toString('hex'), hex('0001 0000000000000007 0000 00000000000003e8 00000000000007d0'));
  const back = decodeRecord(encodeRecordKey(r), encodeRecordValue(r));
  assert.is(back!.type, 'offset');
  if (back!.type === 'offset') assert.is(back!.value!.expireTimestamp, 2000);
});

test('GroupMetadataKey v2 and GroupMetadataValue v3: golden bytes', () => {
  const r: GroupRecord = {
    type: 'group', group: 'g',
    value: {
      protocolType: 'consumer', generation: 2, protocol: 'range', leader: 'm1', currentStateTimestamp: 5,
      members: [{ memberId: 'm1', groupInstanceId: null, clientId: 'c', clientHost: '/h', rebalanceTimeout: 300, sessionTimeout: 100, subscription: Buffer.from([1, 2]), assignment: Buffer.from([3]) }],
    },
  };
  assert.is(encodeRecordKey(r).toString('hex'), hex('0002 0001 67'));
  assert.is(encodeRecordValue(r)!.toString('hex'), hex(`0003
    0008 ${Buffer.from('consumer').toString('hex')}
    00000002
    0005 ${Buffer.from('range').toString('hex')}
    0002 6d31
    0000000000000005
    00000001
      0002 6d31  ffff  0001 63  0002 2f68  0000012c  00000064  00000002 0102  00000001 03`));
  const back = decodeRecord(encodeRecordKey(r), encodeRecordValue(r));
  assert.is(back!.type, 'group');
  if (back!.type === 'group') {
    assert.is(back!.value!.generation, 2);
    assert.is(back!.value!.members[0]!.memberId, 'm1');
    assert.is(back!.value!.members[0]!.groupInstanceId, null);
    assert.equal([...back!.value!.members[0]!.assignment], [3]);
  }
});

test('tombstones: null value; unknown key versions are skipped, bad bytes are typed errors', () => {
  const t: GroupRecord = { type: 'group', group: 'g', value: null };
  assert.is(encodeRecordValue(t), null);
  assert.equal(decodeRecord(encodeRecordKey(t), null), { type: 'group', group: 'g', value: null });
  assert.is(decodeRecord(Buffer.from('0003000167', 'hex'), null), null, 'KIP-848 records are not ours');
  try {
    decodeRecord(Buffer.from('0001000167', 'hex'), null);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code: string }).code, 'GROUP_RECORD_INVALID');
  }
  try {
    decodeRecord(Buffer.from('0002000167', 'hex'), Buffer.from('0009', 'hex'));
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /GroupMetadataValue version 9/);
  }
});

test("javaStringHashCode matches Java's String.hashCode; Utils.abs maps MIN_VALUE to 0", () => {
  assert.is(javaStringHashCode(''), 0);
  assert.is(javaStringHashCode('a'), 97);
  assert.is(javaStringHashCode('hello'), 99162322);
  assert.is(javaStringHashCode('Aa'), javaStringHashCode('BB'));
  assert.is(javaStringHashCode('polygenelubricants'), -2147483648);
  assert.is(kafkaAbs(-2147483648), 0);
  assert.is(offsetsPartitionFor('polygenelubricants', 50), 0);
  assert.is(offsetsPartitionFor('hello', 50), 99162322 % 50);
  // negative hash: abs before modulo
  const neg = 'console-consumer-12345';
  const h = javaStringHashCode(neg);
  assert.is(offsetsPartitionFor(neg, 50), Math.abs(h) % 50);
  assert.is(javaStringHashCode('é€'), (0xe9 * 31 + 0x20ac) | 0, 'UTF-16 code units');
});

test('consumer protocol subscription/assignment round trip; junk decodes to null', () => {
  const s = encodeSubscription(['a', 'b'], 1);
  assert.equal(decodeSubscription(s)!.topics, ['a', 'b']);
  const a = encodeAssignment([{ topic: 'a', partitions: [0, 2] }]);
  assert.equal(decodeAssignment(a)!.assignedPartitions.map((x) => [x.topic, x.partitions]), [['a', [0, 2]]]);
  assert.is(decodeAssignment(Buffer.alloc(0)), null);
  assert.is(decodeSubscription(Buffer.from([0, 0, 0x7f])), null);
});

test.run();
