// Fetch v4-17 (Kafka 4.0's range; v0-3 predate magic v2 and are not served).
// v4 isolationLevel, lastStableOffset, abortedTransactions; v5 logStartOffset; v7 sessions
// (KIP-227: sessionId/epoch, forgottenTopicsData, top-level errorCode); v9 currentLeaderEpoch;
// v10 zstd allowed; v11 rackId + preferredReadReplica; v12 flexible, lastFetchedEpoch →
// divergingEpoch (tagged); v13 topic ids instead of names; v15 replicaState; v16 nodeEndpoints;
// v17 replicaDirectoryId.
// Semantics here:
// - long poll: answer at once if min_bytes are available, any partition has an error, or
//   max_wait_ms is 0; else park in the FetchPurgatory until appends bring enough bytes or the
//   wait expires, then read again and answer with whatever there is.
// - max_bytes over the whole response, partition_max_bytes per partition; the first partition
//   that has data returns its first batch whole even when larger (Kafka's minOneMessage), later
//   ones only what fits.
// - read_uncommitted reads up to the high watermark; read_committed up to the last stable
//   offset, which equals the high watermark until transactions exist. abortedTransactions: []
//   for read_committed, null otherwise (as Kafka). preferredReadReplica -1.
// - sessions: we never create one (answer sessionId 0), so every fetch is a full fetch; a
//   client that asks for a session keeps working with full responses. A request naming a
//   session id → FETCH_SESSION_ID_NOT_FOUND (it can only come from a stale client).
// - records are file regions (zero-copy); their fd refs are released once sent (ctx.onSent).
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type {
  FetchRequest, FetchResponse, FetchResponseFetchableTopicResponse, FetchResponsePartitionData,
} from '../../protocol/generated/messages.js';
import { ErrorCode, errorCodeOf } from '../../protocol/error-codes.js';
import type { Log } from '../../storage/log.js';
import { recordsValue } from '../fetch-plan.js';
import { tpKey } from '../fetch-purgatory.js';
import { defineHandler, type RequestContext } from '../handler.js';

const READ_COMMITTED = 1;
const EMPTY = Buffer.alloc(0);

interface Target {
  topic: string | null;
  partition: number;
  fetchOffset: number;
  partitionMaxBytes: number;
  errorCode: number;
  log: Log | null;
  /** Cluster hook: a follower's fetch reads to the leader's written end, or gets a diverging epoch. */
  replicaRead?: boolean;
  diverging?: { epoch: number; endOffset: number } | null;
}

interface ReadPass {
  responses: FetchResponseFetchableTopicResponse[];
  bytes: number;
  hasError: boolean;
  releases: Array<() => void>;
}

async function resolveTargets(req: FetchRequest, ctx: RequestContext): Promise<Target[][]> {
  const { broker, apiVersion } = ctx;
  const byId = apiVersion >= 13;
  const replicaId = apiVersion >= 15 ? req.replicaState?.replicaId ?? -1 : req.replicaId ?? -1;
  const out: Target[][] = [];
  for (const t of req.topics) {
    const info = byId ? broker.topics.getById(t.topicId ?? '') : broker.topics.get(t.topic ?? '');
    const topicError = info ? 0 : byId ? ErrorCode.UNKNOWN_TOPIC_ID! : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION!;
    const targets: Target[] = [];
    for (const p of t.partitions) {
      const target: Target = {
        topic: info?.name ?? null, partition: p.partition, fetchOffset: p.fetchOffset,
        partitionMaxBytes: p.partitionMaxBytes, errorCode: topicError, log: null,
      };
      if (info && (p.partition < 0 || p.partition >= info.partitions)) target.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION!;
      if (target.errorCode === 0) {
        try {
          target.log = await broker.partitionLog(info!.name, p.partition);
          if (apiVersion < 10 && target.log.config.compressionType === 'zstd') {
            target.errorCode = ErrorCode.UNSUPPORTED_COMPRESSION_TYPE!;
          }
          // CLUSTER HOOK (ts/cluster, brief L): leader/epoch checks; follower LEO tracking.
          const plan = broker.cluster?.fetchPlan(replicaId, info!.name, p.partition, p.fetchOffset,
            p.currentLeaderEpoch ?? -1, p.lastFetchedEpoch ?? -1, target.log as never) ?? null;
          if (plan) { target.replicaRead = true; target.diverging = plan.divergingEpoch; }
        } catch (err) {
          target.errorCode = errorCodeOf(err);
        }
      }
      targets.push(target);
    }
    out.push(targets);
  }
  return out;
}

async function readPass(req: FetchRequest, ctx: RequestContext, targets: Target[][]): Promise<ReadPass> {
  const committed = req.isolationLevel === READ_COMMITTED;
  let remaining = req.maxBytes ?? 0x7fffffff;
  let minOneMessage = true;
  const pass: ReadPass = { responses: [], bytes: 0, hasError: false, releases: [] };
  for (let i = 0; i < req.topics.length; i++) {
    const partitions: FetchResponsePartitionData[] = [];
    for (const t of targets[i]!) {
      const part: FetchResponsePartitionData = {
        partitionIndex: t.partition, errorCode: t.errorCode, highWatermark: -1, lastStableOffset: -1,
        logStartOffset: -1, abortedTransactions: committed ? [] : null, preferredReadReplica: -1, records: EMPTY,
      };
      partitions.push(part);
      if (t.errorCode !== 0 || !t.log) {
        pass.hasError = true;
        continue;
      }
      const log = t.log;
      try {
        const limit = Math.max(0, Math.min(t.partitionMaxBytes, remaining));
        const hw = log.highWatermark;
        if (t.diverging) { // cluster hook: the follower must truncate first (DivergingEpoch, v12+)
          Object.assign(part, { highWatermark: hw, lastStableOffset: hw, logStartOffset: log.logStartOffset, divergingEpoch: t.diverging });
          pass.hasError = true;
          continue;
        }
        const res = await log.read(t.fetchOffset, { maxBytes: limit, maxOffset: t.replicaRead ? log.writtenEndOffset : hw, minOneMessage });
        let length = 0;
        for (const r of res.records) {
          length += r.length;
          pass.releases.push(() => r.release());
        }
        part.highWatermark = res.highWatermark;
        part.lastStableOffset = res.highWatermark; // LSO = HW until transactions exist
        part.logStartOffset = res.logStartOffset;
        part.records = recordsValue(res.records) as FetchResponsePartitionData['records'];
        if (length > 0) minOneMessage = false;
        remaining -= length;
        pass.bytes += length;
      } catch (err) {
        part.errorCode = errorCodeOf(err);
        if (part.errorCode === -1) ctx.logger.error({ err, topic: t.topic, partition: t.partition }, 'fetch read failed');
        part.highWatermark = log.highWatermark;
        part.lastStableOffset = log.highWatermark;
        part.logStartOffset = log.logStartOffset;
        pass.hasError = true;
      }
    }
    const topic = req.topics[i]!;
    pass.responses.push({ topic: topic.topic ?? targets[i]![0]?.topic ?? '', topicId: topic.topicId, partitions });
  }
  return pass;
}

function releaseAll(fns: Array<() => void>): void {
  for (const fn of fns.splice(0)) fn();
}

export const fetch = defineHandler<FetchRequest, FetchResponse>({
  apiKey: ApiKey.Fetch,
  minVersion: 4,
  maxVersion: 17,
  async handle(req, ctx) {
    if ((req.sessionId ?? 0) !== 0) {
      return {
        throttleTimeMs: 0, errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND!, sessionId: 0, responses: [],
      };
    }
    const targets = await resolveTargets(req, ctx);
    let pass = await readPass(req, ctx, targets);
    const keys = targets.flat().filter((t) => t.errorCode === 0 && t.topic !== null).map((t) => tpKey(t.topic!, t.partition));
    if (pass.bytes < req.minBytes && req.maxWaitMs > 0 && !pass.hasError && keys.length > 0) {
      releaseAll(pass.releases);
      await ctx.broker.purgatory.wait(keys, req.minBytes - pass.bytes, req.maxWaitMs);
      pass = await readPass(req, ctx, targets);
    }
    const releases = pass.releases;
    if (releases.length > 0) ctx.onSent(() => releaseAll(releases));
    return { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: pass.responses };
  },
});
