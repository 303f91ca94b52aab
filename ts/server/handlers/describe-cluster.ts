// DescribeCluster v0-1 (Kafka 4.0: 0-2; our schema stops at 1). v1 endpointType: 1 = brokers
// (default), 2 = controllers → UNSUPPORTED_ENDPOINT_TYPE on a broker, as Kafka brokers answer.
// Single broker: it is the only broker and the controller. Cluster mode: the live brokers
// registered in ZooKeeper and the broker holding /controller. The endpoint is the one advertised for
// the listener the request came in on (never a resolved address).
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { DescribeClusterRequest, DescribeClusterResponse } from '../../protocol/generated/messages.js';
import { defineHandler } from '../handler.js';

const NOT_REQUESTED = -2147483648;
// AclOperation bits for a cluster: CREATE 5, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10,
// ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12 (no authorizer: all allowed).
const CLUSTER_OPERATIONS = [5, 7, 8, 9, 10, 11, 12].reduce((a, op) => a | (1 << op), 0);
const UNSUPPORTED_ENDPOINT_TYPE = 115;

export const describeCluster = defineHandler<DescribeClusterRequest, DescribeClusterResponse>({
  apiKey: ApiKey.DescribeCluster,
  minVersion: 0,
  maxVersion: 1,
  handle(req, ctx) {
    const { broker } = ctx;
    const endpointType = req.endpointType ?? 1;
    const cluster = broker.cluster; // CLUSTER HOOK (ts/cluster): every live broker and the elected controller
    const base = { throttleTimeMs: 0, endpointType, clusterId: broker.clusterId, controllerId: cluster ? cluster.controllerId : broker.brokerId };
    if (endpointType !== 1) {
      return { ...base, errorCode: UNSUPPORTED_ENDPOINT_TYPE, errorMessage: `endpoint type ${endpointType} is not served by a broker; ask for brokers (1)`,
        controllerId: -1, brokers: [], clusterAuthorizedOperations: NOT_REQUESTED };
    }
    const { host, port } = broker.advertisedEndpoint(ctx.connection.listenerName);
    return {
      ...base, errorCode: 0, errorMessage: null,
      brokers: cluster ? cluster.brokers().map((b) => ({ brokerId: b.id, host: b.host, port: b.port, rack: b.rack }))
        : [{ brokerId: broker.brokerId, host, port, rack: broker.rack }],
      clusterAuthorizedOperations: req.includeClusterAuthorizedOperations ? CLUSTER_OPERATIONS : NOT_REQUESTED,
    };
  },
});
