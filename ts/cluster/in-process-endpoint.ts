// InProcessEndpoint: a LeaderEndpoint that calls a leader's Partition and Log in this process,
// through the same leader-side rules as the Fetch handler (replica-read.ts). Used by tests to
// run replication, truncation and ISR logic with no sockets; `down = true` simulates a
// partitioned leader (every call rejects).
import { ErrorCode, KafkaError, errorCodeOf } from '../protocol/error-codes.js';
import type { Partition } from './partition.js';
import { checkLeaderEpoch, endOffsetForEpoch, planReplicaRead, type LeaderLogView } from './replica-read.js';
import type { EpochEndOffset, FetchedPartition, FetchPartition, LeaderEndpoint } from './replica-fetcher.js';

export interface LeaderReplica {
  partition: Partition;
  log: LeaderLogView & {
    readonly logStartOffset: number;
    readonly highWatermark: number;
    readBuffers(offset: number, opts: { maxBytes: number; maxOffset: number; minOneMessage: boolean }): Promise<{ buffer: Buffer }>;
  };
}

export class InProcessEndpoint implements LeaderEndpoint {
  down = false;
  constructor(readonly replicaId: number, readonly lookup: (topic: string, partition: number) => LeaderReplica | undefined) {}

  #check(): void { if (this.down) throw Object.assign(new Error('leader unreachable (simulated)'), { code: 'ECONNREFUSED' }); }

  async fetch(parts: FetchPartition[], opts: { maxWaitMs: number }): Promise<Map<string, FetchedPartition>> {
    this.#check();
    const result = await this.#fetchOnce(parts);
    // a long poll, crudely: with nothing to return, answer after maxWaitMs (as a leader would)
    if ([...result.values()].every((r) => r.errorCode === 0 && r.records.length === 0 && !r.divergingEpoch)) {
      await new Promise((r) => setTimeout(r, opts.maxWaitMs));
    }
    return result;
  }

  async #fetchOnce(parts: FetchPartition[]): Promise<Map<string, FetchedPartition>> {
    const out = new Map<string, FetchedPartition>();
    for (const q of parts) {
      const r: FetchedPartition = { errorCode: 0, highWatermark: -1, logStartOffset: -1, records: Buffer.alloc(0), divergingEpoch: null };
      out.set(`${q.topic}-${q.partition}`, r);
      const leader = this.lookup(q.topic, q.partition);
      try {
        if (!leader) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION!, `unknown partition ${q.topic}-${q.partition}`);
        const plan = planReplicaRead(leader.partition, leader.log, this.replicaId, q.fetchOffset, q.currentLeaderEpoch, q.lastFetchedEpoch);
        r.divergingEpoch = plan.divergingEpoch;
        if (plan.maxOffset > q.fetchOffset) {
          r.records = (await leader.log.readBuffers(q.fetchOffset, { maxBytes: q.maxBytes, maxOffset: plan.maxOffset, minOneMessage: true })).buffer;
        } else if (q.fetchOffset > leader.log.logEndOffset || q.fetchOffset < leader.log.logStartOffset) {
          r.errorCode = 1;
        }
        r.highWatermark = leader.log.highWatermark;
        r.logStartOffset = leader.log.logStartOffset;
      } catch (e) {
        r.errorCode = errorCodeOf(e);
      }
    }
    return out;
  }

  async offsetForLeaderEpoch(parts: Array<{ topic: string; partition: number; currentLeaderEpoch: number; leaderEpoch: number }>): Promise<Map<string, EpochEndOffset>> {
    this.#check();
    const out = new Map<string, EpochEndOffset>();
    for (const q of parts) {
      const leader = this.lookup(q.topic, q.partition);
      try {
        if (!leader) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION!, `unknown partition ${q.topic}-${q.partition}`);
        checkLeaderEpoch(leader.partition, q.currentLeaderEpoch);
        const e = endOffsetForEpoch(leader.log.epochCache.entries, q.leaderEpoch, leader.log.logEndOffset);
        out.set(`${q.topic}-${q.partition}`, { errorCode: 0, leaderEpoch: e.epoch, endOffset: e.endOffset });
      } catch (e) {
        out.set(`${q.topic}-${q.partition}`, { errorCode: errorCodeOf(e), leaderEpoch: -1, endOffset: -1 });
      }
    }
    return out;
  }

  async listOffset(topic: string, partition: number, timestamp: -1 | -2): Promise<number> {
    this.#check();
    const leader = this.lookup(topic, partition);
    if (!leader) throw new Error(`unknown partition ${topic}-${partition}`);
    return timestamp === -2 ? leader.log.logStartOffset : leader.log.logEndOffset;
  }

  close(): void {}
}
