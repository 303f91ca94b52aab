// The leader's side of a follower's Fetch (replica id ≥ 0), shared by the Fetch handler and the
// in-process endpoint: validate the follower's view of the leadership, record its LEO, find a
// diverging epoch, and say how far it may read (the leader's written end, not the HW).
//
// Checks (Kafka ReplicaManager.readFromLocalLog / Partition.fetchRecords):
// - this broker must lead the partition: else NOT_LEADER_OR_FOLLOWER.
// - currentLeaderEpoch (v9+, -1 = unknown): older than ours → FENCED_LEADER_EPOCH, newer →
//   UNKNOWN_LEADER_EPOCH (we have not heard of it yet).
// - lastFetchedEpoch (v12+, -1 = none): if our end offset for that epoch is below the fetch
//   offset, or we only know an older epoch, the follower diverged: answer DivergingEpoch
//   {epoch, endOffset} and no records; the follower truncates and fetches again.
//   Example: follower has epoch 3 up to offset 150, leader's epoch 3 ended at 120 (epoch 4
//   starts at 120): fetch(150, lastFetchedEpoch 3) → DivergingEpoch {3, 120}.
import { ErrorCode, KafkaError } from '../protocol/error-codes.js';
import type { Partition } from './partition.js';

export interface LeaderLogView {
  readonly writtenEndOffset: number;
  readonly logEndOffset: number;
  readonly epochCache: { readonly entries: readonly EpochEntry[] };
}

export interface EpochEntry { epoch: number; startOffset: number }

/**
 * OffsetsForLeaderEpoch semantics (Kafka LeaderEpochFileCache.endOffsetFor): the latest epoch
 * ends at the LEO; an epoch we hold ends where the next one starts; an unknown epoch between two
 * known ones answers the floor epoch; one older than every entry answers (that epoch, the first
 * entry's start offset) (PR #5678); one newer than ours or -1 → (-1, -1).
 */
export function endOffsetForEpoch(entries: readonly EpochEntry[], epoch: number, logEndOffset: number): { epoch: number; endOffset: number } {
  if (epoch < 0 || entries.length === 0) return { epoch: -1, endOffset: -1 };
  const last = entries[entries.length - 1]!;
  if (epoch === last.epoch) return { epoch, endOffset: logEndOffset };
  const higher = entries.findIndex((e) => e.epoch > epoch);
  if (higher < 0) return { epoch: -1, endOffset: -1 };
  if (higher === 0) return { epoch, endOffset: entries[0]!.startOffset };
  return { epoch: entries[higher - 1]!.epoch, endOffset: entries[higher]!.startOffset };
}

export interface ReplicaReadPlan {
  /** Read up to (exclusive) this offset; -1 = read nothing (diverging). */
  maxOffset: number;
  divergingEpoch: { epoch: number; endOffset: number } | null;
}

export function checkLeaderEpoch(p: Partition, currentLeaderEpoch: number): void {
  if (p.role !== 'leader') {
    throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER!, `broker ${p.brokerId} is not the leader of ${p.topic}-${p.partition}`);
  }
  if (currentLeaderEpoch >= 0 && currentLeaderEpoch < p.leaderEpoch) {
    throw new KafkaError(ErrorCode.FENCED_LEADER_EPOCH!, `leader epoch ${currentLeaderEpoch} of ${p.topic}-${p.partition} is fenced: the current epoch is ${p.leaderEpoch}`);
  }
  if (currentLeaderEpoch > p.leaderEpoch) {
    throw new KafkaError(ErrorCode.UNKNOWN_LEADER_EPOCH!, `leader epoch ${currentLeaderEpoch} of ${p.topic}-${p.partition} is newer than this leader's ${p.leaderEpoch}`);
  }
}

/** Called for each partition of a follower fetch. Throws a KafkaError for a partition-level error. */
export function planReplicaRead(p: Partition, log: LeaderLogView, replicaId: number, fetchOffset: number,
  currentLeaderEpoch: number, lastFetchedEpoch: number): ReplicaReadPlan {
  checkLeaderEpoch(p, currentLeaderEpoch);
  if (lastFetchedEpoch >= 0) {
    const end = endOffsetForEpoch(log.epochCache.entries, lastFetchedEpoch, log.logEndOffset);
    if (end.epoch !== lastFetchedEpoch || end.endOffset < fetchOffset) return { maxOffset: -1, divergingEpoch: end };
  }
  if (!p.onFollowerFetch(replicaId, fetchOffset)) {
    throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER!, `broker ${replicaId} is not a replica of ${p.topic}-${p.partition} (replicas ${p.replicas.join(',')})`);
  }
  return { maxOffset: log.writtenEndOffset, divergingEpoch: null };
}
