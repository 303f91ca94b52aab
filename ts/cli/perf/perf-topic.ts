// Topic set-up for `samsa perf`: find the topic's partitions (Metadata v9), create it when it is
// missing (CreateTopics v5: --partitions, or 1), and look up the earliest offsets (ListOffsets v5).
// Single-broker scope: every request goes to the bootstrap broker; a partition led elsewhere is
// reported as an error rather than followed.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type {
  CreateTopicsResponse, ListOffsetsResponse, MetadataResponse,
} from '../../protocol/generated/messages.js';
import { errorName } from '../../protocol/error-codes.js';
import type { ConnectOptions, KafkaConnection } from '../../client/kafka-connection.js';

export class PerfTopicError extends Error {
  readonly code = 'SAMSA_PERF_TOPIC' as const;
  constructor(message: string) {
    super(message);
    this.name = 'PerfTopicError';
  }
}

/**
 * How perf connects: its own client id, and 3 reusable buffers for big Fetch responses (perf
 * consume keeps one fetch in flight while it walks the previous one; see KafkaConnection).
 */
export const PERF_CONNECTION: ConnectOptions = { clientId: 'samsa-perf', reuseFrameBuffers: 3 };

const TOPIC_ALREADY_EXISTS = 36;
const UNKNOWN_TOPIC_OR_PARTITION = 3;

async function partitionCount(conn: KafkaConnection, topic: string): Promise<number | null> {
  const md = await conn.request<MetadataResponse>(ApiKey.Metadata, 9, { topics: [{ name: topic }], allowAutoTopicCreation: false });
  const t = md.topics.find((x) => x.name === topic);
  if (t === undefined || t.errorCode === UNKNOWN_TOPIC_OR_PARTITION) return null;
  if (t.errorCode !== 0) throw new PerfTopicError(`metadata for topic '${topic}' failed: ${errorName(t.errorCode)}`);
  return t.partitions.length;
}

/** Returns the topic's partition count, creating the topic with `partitions` (default 1) when missing. */
export async function ensureTopic(conn: KafkaConnection, topic: string, partitions: number | undefined): Promise<number> {
  const existing = await partitionCount(conn, topic);
  if (existing !== null) {
    if (partitions !== undefined && partitions !== existing) {
      process.stderr.write(`samsa perf: topic '${topic}' already has ${existing} partitions (--partitions ${partitions} ignored)\n`);
    }
    return existing;
  }
  const res = await conn.request<CreateTopicsResponse>(ApiKey.CreateTopics, 5, {
    topics: [{ name: topic, numPartitions: partitions ?? 1, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 30_000,
  });
  const r = res.topics[0];
  if (r && r.errorCode !== 0 && r.errorCode !== TOPIC_ALREADY_EXISTS) {
    throw new PerfTopicError(`cannot create topic '${topic}': ${errorName(r.errorCode)}${r.errorMessage ? ` (${r.errorMessage})` : ''}`);
  }
  const created = await partitionCount(conn, topic);
  if (created === null) throw new PerfTopicError(`topic '${topic}' was created but the broker does not list it`);
  return created;
}

/** Offsets of each partition at `timestamp` (-2 earliest, -1 latest). */
export async function listOffsets(conn: KafkaConnection, topic: string, partitions: number, timestamp: -1 | -2): Promise<number[]> {
  const res = await conn.request<ListOffsetsResponse>(ApiKey.ListOffsets, 5, {
    replicaId: -1, isolationLevel: 0,
    topics: [{ name: topic, partitions: Array.from({ length: partitions }, (_, p) => ({ partitionIndex: p, timestamp, currentLeaderEpoch: -1 })) }],
  });
  const out = new Array<number>(partitions).fill(0);
  for (const p of res.topics[0]?.partitions ?? []) {
    if (p.errorCode !== 0) throw new PerfTopicError(`ListOffsets ${topic}-${p.partitionIndex} failed: ${errorName(p.errorCode)}`);
    out[p.partitionIndex] = p.offset ?? 0;
  }
  return out;
}
