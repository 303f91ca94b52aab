// NetworkLeaderEndpoint: the follower's connection to its leader broker, speaking the Kafka
// protocol with the project's codec: Fetch v12 (replica id = this broker, lastFetchedEpoch →
// DivergingEpoch), OffsetForLeaderEpoch v4, ListOffsets v4 (replica id = this broker).
// One KafkaConnection (pipelined, correlation ids, per-request timeouts); a broken or timed-out
// connection fails every pending request and the next call reconnects. `address()` is asked on
// every connect so a leader that restarted on another port is found (from the metadata cache).
import { KafkaConnection } from '../client/kafka-connection.js';
import { ApiKey } from '../protocol/generated/api-keys.js';
import type {
  FetchResponse, ListOffsetsResponse, OffsetForLeaderEpochResponse,
} from '../protocol/generated/messages.js';
import type { EpochEndOffset, FetchedPartition, FetchPartition, LeaderEndpoint } from './replica-fetcher.js';

const FETCH_V = 12, EPOCH_V = 4, LIST_V = 4;
const EMPTY = Buffer.alloc(0);

export class NetworkLeaderEndpoint implements LeaderEndpoint {
  readonly #replicaId: number;
  readonly #address: () => { host: string; port: number } | null;
  readonly #timeoutMs: number;
  #conn: KafkaConnection | null = null;
  #connecting: Promise<KafkaConnection> | null = null;
  #closed = false;

  constructor(replicaId: number, address: () => { host: string; port: number } | null, timeoutMs = 30_000) {
    this.#replicaId = replicaId; this.#address = address; this.#timeoutMs = timeoutMs;
  }

  #connect(): Promise<KafkaConnection> {
    if (this.#conn && !this.#conn.closed) return Promise.resolve(this.#conn);
    if (this.#connecting) return this.#connecting;
    const addr = this.#address();
    if (!addr || this.#closed) return Promise.reject(new Error('leader address unknown'));
    const connecting = KafkaConnection.connect(addr, {
      clientId: `samsa-replica-${this.#replicaId}`, timeoutMs: this.#timeoutMs, requestTimeoutMs: this.#timeoutMs,
    }).then((c) => {
      if (this.#closed) c.close();
      else this.#conn = c;
      return c;
    }).finally(() => { if (this.#connecting === connecting) this.#connecting = null; });
    this.#connecting = connecting;
    return connecting;
  }

  async #request<T>(apiKey: number, version: number, body: object, timeoutMs = this.#timeoutMs): Promise<T> {
    if (this.#closed) throw new Error('endpoint closed');
    const c = await this.#connect();
    return c.request<T>(apiKey, version, body, { timeoutMs });
  }

  async fetch(parts: FetchPartition[], opts: { maxWaitMs: number; minBytes: number; maxBytes: number }): Promise<Map<string, FetchedPartition>> {
    const byTopic = new Map<string, FetchPartition[]>();
    for (const p of parts) { const l = byTopic.get(p.topic) ?? []; l.push(p); byTopic.set(p.topic, l); }
    const res = await this.#request<FetchResponse>(ApiKey.Fetch, FETCH_V, {
      clusterId: null, replicaId: this.#replicaId, maxWaitMs: opts.maxWaitMs, minBytes: opts.minBytes, maxBytes: opts.maxBytes,
      isolationLevel: 0, sessionId: 0, sessionEpoch: -1, rackId: '', forgottenTopicsData: [],
      topics: [...byTopic].map(([topic, ps]) => ({
        topic, partitions: ps.map((p) => ({
          partition: p.partition, currentLeaderEpoch: p.currentLeaderEpoch, fetchOffset: p.fetchOffset,
          lastFetchedEpoch: p.lastFetchedEpoch, logStartOffset: -1, partitionMaxBytes: p.maxBytes,
        })),
      })),
    }, opts.maxWaitMs + this.#timeoutMs);
    const out = new Map<string, FetchedPartition>();
    if (res.errorCode) throw new Error(`fetch from leader failed with error code ${res.errorCode}`);
    for (const t of res.responses) for (const p of t.partitions) {
      const d = p.divergingEpoch;
      out.set(`${t.topic}-${p.partitionIndex}`, {
        errorCode: p.errorCode, highWatermark: p.highWatermark, logStartOffset: p.logStartOffset ?? -1,
        records: (p.records as Buffer | null) ?? EMPTY,
        divergingEpoch: d && (d.epoch ?? -1) >= 0 ? { epoch: d.epoch!, endOffset: d.endOffset ?? -1 } : null,
      });
    }
    return out;
  }

  async offsetForLeaderEpoch(parts: Array<{ topic: string; partition: number; currentLeaderEpoch: number; leaderEpoch: number }>): Promise<Map<string, EpochEndOffset>> {
    const byTopic = new Map<string, typeof parts>();
    for (const p of parts) { const l = byTopic.get(p.topic) ?? []; l.push(p); byTopic.set(p.topic, l); }
    const res = await this.#request<OffsetForLeaderEpochResponse>(ApiKey.OffsetForLeaderEpoch, EPOCH_V, {
      replicaId: this.#replicaId,
      topics: [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps.map((p) => ({ partition: p.partition, currentLeaderEpoch: p.currentLeaderEpoch, leaderEpoch: p.leaderEpoch })) })),
    });
    const out = new Map<string, EpochEndOffset>();
    for (const t of res.topics) for (const p of t.partitions) {
      out.set(`${t.topic}-${p.partition}`, { errorCode: p.errorCode, leaderEpoch: p.leaderEpoch ?? -1, endOffset: p.endOffset });
    }
    return out;
  }

  async listOffset(topic: string, partition: number, timestamp: -1 | -2, currentLeaderEpoch: number): Promise<number> {
    const res = await this.#request<ListOffsetsResponse>(ApiKey.ListOffsets, LIST_V, {
      replicaId: this.#replicaId, isolationLevel: 0,
      topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch, timestamp }] }],
    });
    const p = res.topics[0]?.partitions[0];
    if (!p || p.errorCode !== 0) throw new Error(`ListOffsets on the leader failed with error code ${p?.errorCode}`);
    return p.offset ?? -1;
  }

  close(): void {
    this.#closed = true;
    this.#conn?.close();
  }
}
