import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildErrorResponse } from './error-response.js';
import { RESPONSE_SCHEMAS } from '../protocol/generated/schemas.js';

const UNSUPPORTED_VERSION = 35;

test('Produce: every requested partition gets the error, identities copied', () => {
  const req = {
    acks: 1, timeoutMs: 1000, transactionalId: null,
    topicData: [
      { name: 'a', partitionData: [{ index: 0, records: null }, { index: 2, records: null }] },
      { name: 'b', partitionData: [{ index: 1, records: null }] },
    ],
  };
  const res = buildErrorResponse(RESPONSE_SCHEMAS[0], 2, req, UNSUPPORTED_VERSION);
  assert.equal(res, {
    responses: [
      { name: 'a', partitionResponses: [{ index: 0, errorCode: 35 }, { index: 2, errorCode: 35 }] },
      { name: 'b', partitionResponses: [{ index: 1, errorCode: 35 }] },
    ],
  });
});

test('Fetch v7: top-level error code and topic/partition mirror (topic, partition → partitionIndex)', () => {
  const req = { topics: [{ topic: 't', partitions: [{ partition: 3, fetchOffset: 0 }] }], forgottenTopicsData: [] };
  const res = buildErrorResponse(RESPONSE_SCHEMAS[1], 7, req, UNSUPPORTED_VERSION) as any;
  assert.is(res.errorCode, 35);
  assert.is(res.responses.length, 1);
  assert.is(res.responses[0].topic, 't');
  assert.is(res.responses[0].partitions[0].partitionIndex, 3);
  assert.is(res.responses[0].partitions[0].errorCode, 35);
  assert.equal(res.responses[0].partitions[0].abortedTransactions, []);
});

test('Metadata: brokers not mirrored from topics', () => {
  const req = { topics: [{ name: 'x' }] };
  const res = buildErrorResponse(RESPONSE_SCHEMAS[3], 1, req, UNSUPPORTED_VERSION) as any;
  assert.equal(res.brokers, []);
  assert.equal(res.topics.map((t: any) => [t.name, t.errorCode]), [['x', 35]]);
});

test('fields outside the version are left out', () => {
  const res = buildErrorResponse(RESPONSE_SCHEMAS[1], 4, { topics: [] }, UNSUPPORTED_VERSION);
  assert.not.ok('errorCode' in res); // Fetch top-level errorCode is v7+
  assert.equal(res.responses, []);
});

test.run();
