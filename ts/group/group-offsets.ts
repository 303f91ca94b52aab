// GroupOffsets: the committed offsets of one group, by topic and partition.
//
// Only `replay(record)` changes the committed map (a commit is visible once its record is in
// __consumer_offsets). Between a commit's validation and its replay the partition is "pending":
// OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT for it.
//
// Expiry (offsets.retention.minutes, Kafka 2.1+ rules, KIP-211):
// - an offset with an explicit expire timestamp (OffsetCommit v1 commitTimestamp / v2-4
//   retentionTimeMs) expires at that timestamp;
// - otherwise, for a group with a protocol type ("consumer" group) that is Empty, every offset
//   expires `retention` after the group became Empty;
// - for a group without protocol type (simple commits: assign-mode consumers), an offset expires
//   `retention` after it was committed;
// - a non-empty consumer group expires, by commit timestamp, only offsets of topics it no longer
//   subscribes to.
import type { OffsetRecord } from './records.js';

export interface CommittedOffset {
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
  /** -1 = none (retention applies). */
  readonly expireTimestamp: number;
}

export interface TopicPartitionRef { topic: string; partition: number }

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export class GroupOffsets {
  readonly #byTopic = new Map<string, Map<number, CommittedOffset>>();
  readonly #pending = new Map<string, number>();

  get size(): number {
    let n = 0;
    for (const m of this.#byTopic.values()) n += m.size;
    return n;
  }

  get(topic: string, partition: number): CommittedOffset | undefined {
    return this.#byTopic.get(topic)?.get(partition);
  }

  topics(): string[] {
    return [...this.#byTopic.keys()].sort();
  }

  /** Partitions of `topic` with a committed offset, ascending. */
  partitions(topic: string): number[] {
    return [...(this.#byTopic.get(topic)?.keys() ?? [])].sort((a, b) => a - b);
  }

  *entries(): Iterable<[TopicPartitionRef, CommittedOffset]> {
    for (const [topic, m] of this.#byTopic) for (const [partition, o] of m) yield [{ topic, partition }, o];
  }

  beginCommit(topic: string, partition: number): void {
    const k = key(topic, partition);
    this.#pending.set(k, (this.#pending.get(k) ?? 0) + 1);
  }

  /** The commit's record was appended (then replayed) or failed. */
  endCommit(topic: string, partition: number): void {
    const k = key(topic, partition);
    const n = (this.#pending.get(k) ?? 0) - 1;
    if (n > 0) this.#pending.set(k, n); else this.#pending.delete(k);
  }

  isPending(topic: string, partition: number): boolean {
    return this.#pending.has(key(topic, partition));
  }

  get hasPending(): boolean { return this.#pending.size > 0; }

  replay(r: OffsetRecord): void {
    if (r.value === null) {
      const m = this.#byTopic.get(r.topic);
      m?.delete(r.partition);
      if (m && m.size === 0) this.#byTopic.delete(r.topic);
      return;
    }
    let m = this.#byTopic.get(r.topic);
    if (!m) this.#byTopic.set(r.topic, (m = new Map()));
    m.set(r.partition, {
      offset: r.value.offset,
      leaderEpoch: r.value.leaderEpoch ?? -1,
      metadata: r.value.metadata,
      commitTimestamp: r.value.commitTimestamp,
      expireTimestamp: r.value.expireTimestamp ?? -1,
    });
  }

  /**
   * Offsets to expire at `now` (see the file comment). `emptySince` is the time a consumer group
   * became Empty, or null when it is not a consumer group in Empty; `subscribed` the topics a
   * non-empty consumer group subscribes to (null = unknown: keep them all).
   */
  expired(now: number, retentionMs: number, mode: 'empty-consumer' | 'simple' | 'active', emptySince: number, subscribed: ReadonlySet<string> | null): TopicPartitionRef[] {
    const out: TopicPartitionRef[] = [];
    for (const [tp, o] of this.entries()) {
      if (this.isPending(tp.topic, tp.partition)) continue;
      let expire = false;
      if (o.expireTimestamp >= 0) expire = now >= o.expireTimestamp;
      else if (mode === 'empty-consumer') expire = now - emptySince >= retentionMs;
      else if (mode === 'simple') expire = now - o.commitTimestamp >= retentionMs;
      else expire = subscribed !== null && !subscribed.has(tp.topic) && now - o.commitTimestamp >= retentionMs;
      if (expire) out.push(tp);
    }
    return out;
  }
}
