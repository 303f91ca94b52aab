// FetchPurgatory: where Fetch requests wait for data (Kafka's DelayedFetch purgatory).
//
// A Fetch with max_wait_ms > 0 whose first read returned fewer than min_bytes parks here. It is
// completed by whichever comes first:
//   - appends to the partitions it asked for add up to the bytes it still needs
//     (`notify(topicPartition, bytes)` is called by the broker after every append and every
//     high-watermark move; bytes = size of what became readable),
//   - its deadline (max_wait_ms),
//   - shutdown (`completeAll()`), or a topic change that makes a partition disappear
//     (`notify(key, Infinity)`).
// The caller then re-reads the logs and answers with whatever is there: the purgatory never
// reads data itself, it only decides WHEN to read.
//
// Concurrency: single-threaded (event loop); a waiter is resolved exactly once; timers are
// cleared on completion so nothing keeps the process alive after stop.

export type TopicPartitionKey = string; // `${topic}-${partition}`, as Kafka's directory names

export function tpKey(topic: string, partition: number): TopicPartitionKey {
  return `${topic}-${partition}`;
}

export type WakeReason = 'data' | 'timeout' | 'shutdown';

interface Waiter {
  keys: TopicPartitionKey[];
  needed: number;
  resolve: (reason: WakeReason) => void;
  timer: NodeJS.Timeout | null;
  done: boolean;
}

export class FetchPurgatory {
  readonly #byKey = new Map<TopicPartitionKey, Set<Waiter>>();
  #closed = false;

  /** Number of parked fetches (for tests and metrics). */
  get size(): number {
    const all = new Set<Waiter>();
    for (const set of this.#byKey.values()) for (const w of set) all.add(w);
    return all.size;
  }

  /**
   * Park until `bytesNeeded` bytes were appended to `keys`, or `maxWaitMs` passed.
   * Resolves with the reason; never rejects.
   */
  wait(keys: TopicPartitionKey[], bytesNeeded: number, maxWaitMs: number): Promise<WakeReason> {
    if (this.#closed) return Promise.resolve('shutdown');
    if (bytesNeeded <= 0 || keys.length === 0) return Promise.resolve('data');
    return new Promise<WakeReason>((resolve) => {
      const waiter: Waiter = { keys, needed: bytesNeeded, resolve, timer: null, done: false };
      waiter.timer = setTimeout(() => this.#complete(waiter, 'timeout'), Math.max(0, maxWaitMs));
      for (const key of keys) {
        let set = this.#byKey.get(key);
        if (!set) this.#byKey.set(key, (set = new Set()));
        set.add(waiter);
      }
    });
  }

  /** `bytes` became readable on `key` (append, high-watermark move, or Infinity for "go look"). */
  notify(key: TopicPartitionKey, bytes: number): void {
    const set = this.#byKey.get(key);
    if (!set) return;
    for (const waiter of [...set]) {
      waiter.needed -= bytes;
      if (waiter.needed <= 0) this.#complete(waiter, 'data');
    }
  }

  /** Complete every waiter now (broker shutdown); later waits resolve at once. */
  completeAll(): void {
    this.#closed = true;
    const all = new Set<Waiter>();
    for (const set of this.#byKey.values()) for (const w of set) all.add(w);
    for (const w of all) this.#complete(w, 'shutdown');
  }

  #complete(waiter: Waiter, reason: WakeReason): void {
    if (waiter.done) return;
    waiter.done = true;
    if (waiter.timer) clearTimeout(waiter.timer);
    for (const key of waiter.keys) {
      const set = this.#byKey.get(key);
      if (!set) continue;
      set.delete(waiter);
      if (set.size === 0) this.#byKey.delete(key);
    }
    waiter.resolve(reason);
  }
}
