// `samsa perf consume`: Kafka's consumer-perf-test on Samsa's own codec over a raw socket.
//
// One connection, one Fetch v12 in flight (as a consumer has per broker; the next one is sent as
// soon as the offsets are known, before the values are walked), all partitions of the
// topic from their earliest offsets (or the latest with fromLatest), until --num-records records
// arrived or nothing arrived for --timeout ms. End-to-end latency per record = receive time −
// the arrival time that `perf produce` / bench/loadgen wrote in value bytes 0..7 (int64 BE µs
// since the epoch); it means produce→consume latency only while a producer runs concurrently
// (otherwise it is the age of the data). Values shorter than 8 bytes give no sample.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { FetchResponse } from '../../protocol/generated/messages.js';
import { errorName } from '../../protocol/error-codes.js';
import { readBatches, type RecordBatchView } from '../../protocol/record/batch-reader.js';
import * as L from '../../protocol/record/layout.js';
import { readVarint, readVarlong, type Cursor } from '../../protocol/record/varint.js';
import { KafkaConnection } from '../../client/kafka-connection.js';
import { LatencyRecorder, makeReport, ProgressLine, type PerfReport } from './perf-stats.js';
import { ensureTopic, listOffsets, PERF_CONNECTION } from './perf-topic.js';

export interface PerfConsumeOptions {
  bootstrap: string;
  topic: string;
  numRecords: number;
  fetchMaxBytes: number;
  partitionMaxBytes: number;
  timeoutMs: number;
  fromLatest: boolean;
  progress: boolean;
}

/** Calls onValue(start, end) for each record value of an uncompressed records section. */
function walkValues(buf: Buffer, start: number, end: number, count: number, onValue: (start: number, len: number) => void): void {
  const cur: Cursor = { pos: start };
  for (let i = 0; i < count && cur.pos < end; i++) {
    const len = readVarint(buf, cur, end);
    const recEnd = cur.pos + len;
    cur.pos += 1; // attributes
    readVarlong(buf, cur, end); // timestampDelta
    readVarint(buf, cur, end); // offsetDelta
    const keyLen = readVarint(buf, cur, end);
    if (keyLen > 0) cur.pos += keyLen;
    const valueLen = readVarint(buf, cur, end);
    if (valueLen >= 0) onValue(cur.pos, valueLen);
    cur.pos = recEnd;
  }
}

export async function runPerfConsume(o: PerfConsumeOptions): Promise<PerfReport> {
  const conn = await KafkaConnection.connect(o.bootstrap, PERF_CONNECTION);
  const latency = new LatencyRecorder(o.numRecords);
  let records = 0;
  let bytes = 0;
  let errors = 0;
  const progress = new ProgressLine(o.progress, o.numRecords, 0, () => ({ count: records, latencyMs: latency.recentAvg(1000) }));
  let first = 0;
  let last = 0;
  try {
    const partitions = await ensureTopic(conn, o.topic, undefined);
    const offsets = await listOffsets(conn, o.topic, partitions, o.fromLatest ? -1 : -2);
    let idleSince = performance.now();
    const wallOrigin = performance.timeOrigin;
    const fetch = () => ({
      sentAt: performance.now(),
      res: conn.request<FetchResponse>(ApiKey.Fetch, 12, {
        replicaId: -1, maxWaitMs: 100, minBytes: 1, maxBytes: o.fetchMaxBytes, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: o.topic, partitions: offsets.map((fetchOffset, partition) => ({
          partition, currentLeaderEpoch: -1, fetchOffset, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: o.partitionMaxBytes,
        })) }],
        forgottenTopicsData: [], rackId: '',
      }),
    });
    let inFlight: { sentAt: number; res: Promise<FetchResponse> } | null = fetch();
    while (inFlight !== null) {
      const { sentAt } = inFlight;
      const res = await inFlight.res;
      const nowWallUs = (wallOrigin + performance.now()) * 1000;
      // Pass 1, headers only: advance the offsets and send the next fetch before reading values,
      // so the broker works on it while this process walks the records (as a consumer's
      // background fetcher does).
      const batches: RecordBatchView[] = [];
      let got = 0;
      for (const p of res.responses[0]?.partitions ?? []) {
        if (p.errorCode !== 0) { errors++; process.stderr.write(`samsa perf: fetch ${o.topic}-${p.partitionIndex}: ${errorName(p.errorCode)}\n`); continue; }
        const buf = p.records as Buffer | null;
        if (!buf || buf.length === 0) continue;
        for (const batch of readBatches(buf)) {
          if (batch.lastOffset < offsets[p.partitionIndex]!) continue;
          offsets[p.partitionIndex] = batch.lastOffset + 1;
          if (batch.isControl) continue;
          batches.push(batch);
          got += batch.recordsCount;
        }
      }
      if (got > 0) {
        if (records === 0) first = sentAt;
        records += got;
        last = performance.now();
        idleSince = last;
      }
      inFlight = records < o.numRecords && performance.now() - idleSince < o.timeoutMs ? fetch() : null;
      // Pass 2: value bytes and end-to-end latency.
      for (const batch of batches) {
        const onValue = (vb: Buffer, start: number, len: number) => {
          bytes += len;
          if (len >= 8) latency.record((nowWallUs - Number(vb.readBigInt64BE(start))) / 1000);
        };
        if (batch.compression === 0) {
          const b = batch.bytes;
          walkValues(b, L.RECORDS_OFFSET, b.length, batch.recordsCount, (st, len) => onValue(b, st, len));
        } else {
          for (const r of batch.records()) if (r.value) onValue(r.value, 0, r.value.length);
        }
      }
    }
  } finally {
    progress.stop();
    conn.close();
  }
  const seconds = records > 0 ? Math.max(last - first, 1e-3) / 1000 : 0;
  return makeReport('consume', records, bytes, seconds, errors, latency, {
    topic: o.topic, numRecords: o.numRecords, fetchMaxBytes: o.fetchMaxBytes, partitionMaxBytes: o.partitionMaxBytes, fromLatest: o.fromLatest,
  });
}
