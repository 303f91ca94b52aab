// Metadata v0-12 (Kafka 4.0 serves 0-13; our schema stops at 12).
// v1 rack, controllerId, isInternal, null topics = all (v0: empty = all); v2 clusterId;
// v3 throttleTimeMs; v4 allowAutoTopicCreation; v5 offlineReplicas; v7 leaderEpoch;
// v8 authorized operations (cluster ops only v8-10); v9 flexible; v10 topic ids; v12 topic name
// nullable (lookup by id).
// Single broker: every partition is led by this broker, replicas = isr = [self], leader epoch 0.
// The broker list holds this broker's endpoint for the listener the request came in on, with the
// host the user configured (advertised.listeners, else listeners), never a resolved address.
// Auto-creation: a requested topic that does not exist is created with num.partitions when
// auto.create.topics.enable and the request allows it (v0-3 always allow); it is returned
// complete at once (Kafka answers LEADER_NOT_AVAILABLE first; creation here is synchronous).
// authorizedOperations: -2147483648 ("not requested") unless asked; with no authorizer every
// operation is allowed, so we return the full bit set for the resource type.
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type {
  MetadataRequest, MetadataResponse, MetadataResponseMetadataResponseTopic,
} from '../../protocol/generated/messages.js';
import { ErrorCode, errorCodeOf } from '../../protocol/error-codes.js';
import { defineHandler } from '../handler.js';
import type { TopicInfo } from '../broker.js';
import { topicNameProblem } from '../topic-name.js';
import type { Cluster } from '../../cluster/cluster.js';

const NOT_REQUESTED = -2147483648;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
// AclOperation codes: READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9,
// DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12.
const bits = (...ops: number[]) => ops.reduce((a, op) => a | (1 << op), 0);
const TOPIC_OPERATIONS = bits(3, 4, 5, 6, 7, 8, 10, 11);
const CLUSTER_OPERATIONS = bits(5, 7, 8, 9, 10, 11, 12);

function describeTopic(t: TopicInfo, brokerId: number, ops: number, cluster?: Cluster): MetadataResponseMetadataResponseTopic {
  const partitions = [];
  for (let p = 0; p < t.partitions; p++) {
    // CLUSTER HOOK (ts/cluster, brief L): leader, epoch, replicas, ISR, offline replicas from ZooKeeper
    const v = cluster?.partitionView(t.name, p);
    if (cluster) {
      partitions.push({
        errorCode: !v ? ErrorCode.LEADER_NOT_AVAILABLE! : v.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE! : 0, partitionIndex: p,
        leaderId: v?.leader ?? -1, leaderEpoch: v?.leaderEpoch ?? -1, replicaNodes: v?.replicas ?? [], isrNodes: v?.isr ?? [],
        offlineReplicas: v?.offlineReplicas ?? [],
      });
      continue;
    }
    partitions.push({
      errorCode: 0, partitionIndex: p, leaderId: brokerId, leaderEpoch: 0,
      replicaNodes: [brokerId], isrNodes: [brokerId], offlineReplicas: [],
    });
  }
  return { errorCode: 0, name: t.name, topicId: t.topicId, isInternal: t.internal, partitions, topicAuthorizedOperations: ops };
}

function topicError(name: string | null, topicId: string, code: number): MetadataResponseMetadataResponseTopic {
  return { errorCode: code, name, topicId, isInternal: false, partitions: [], topicAuthorizedOperations: NOT_REQUESTED };
}

export const metadata = defineHandler<MetadataRequest, MetadataResponse>({
  apiKey: ApiKey.Metadata,
  minVersion: 0,
  maxVersion: 12,
  async handle(req, ctx) {
    const { broker, apiVersion } = ctx;
    const endpoint = broker.advertisedEndpoint(ctx.connection.listenerName);
    const ops = req.includeTopicAuthorizedOperations ? TOPIC_OPERATIONS : NOT_REQUESTED;
    const allowAuto = apiVersion < 4 || req.allowAutoTopicCreation !== false;
    const all = req.topics === null || (apiVersion === 0 && req.topics.length === 0);

    const topics: MetadataResponseMetadataResponseTopic[] = [];
    if (all) {
      for (const t of broker.topics.list()) topics.push(describeTopic(t, broker.brokerId, ops, broker.cluster));
    } else {
      for (const wanted of req.topics ?? []) {
        if (wanted.name === null || wanted.name === '') {
          const id = wanted.topicId ?? ZERO_UUID;
          const t = id !== ZERO_UUID ? broker.topics.getById(id) : undefined;
          topics.push(t ? describeTopic(t, broker.brokerId, ops, broker.cluster) : topicError(null, id, ErrorCode.UNKNOWN_TOPIC_ID!));
          continue;
        }
        let t = broker.topics.get(wanted.name);
        if (!t && topicNameProblem(wanted.name) !== null) {
          topics.push(topicError(wanted.name, ZERO_UUID, ErrorCode.INVALID_TOPIC_EXCEPTION!));
          continue;
        }
        // CLUSTER HOOK: a topic created through another broker a moment ago: re-read ZooKeeper first
        if (!t && broker.cluster && await broker.cluster.catchUp(wanted.name)) t = broker.topics.get(wanted.name);
        if (!t && allowAuto && broker.autoCreateEnabled) {
          try {
            t = await broker.autoCreateTopic(wanted.name);
          } catch (err) {
            topics.push(topicError(wanted.name, ZERO_UUID, errorCodeOf(err)));
            continue;
          }
        }
        topics.push(t ? describeTopic(t, broker.brokerId, ops, broker.cluster)
          : topicError(wanted.name, ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION!));
      }
    }

    return {
      throttleTimeMs: 0,
      brokers: broker.cluster
        ? broker.cluster.brokers().map((b) => ({ nodeId: b.id, host: b.host, port: b.port, rack: b.rack }))
        : [{ nodeId: broker.brokerId, host: endpoint.host, port: endpoint.port, rack: broker.rack }],
      clusterId: broker.clusterId,
      controllerId: broker.cluster ? broker.cluster.controllerId : broker.brokerId,
      topics,
      clusterAuthorizedOperations: req.includeClusterAuthorizedOperations ? CLUSTER_OPERATIONS : NOT_REQUESTED,
    };
  },
});
