// ApiRegistry: the handlers this broker serves, by api key, and the ApiVersions list derived from
// them (Tansu's FrameRouteService idea): an API without a handler is never advertised, and an
// advertised range never exceeds what the generated schema can decode.
//
// Ranges follow Kafka 4.0.1 capped at the schema max (KAFKA-FACTS §1.2/§1.5), with mins of 0 for
// Produce, JoinGroup, FindCoordinator, SyncGroup, Heartbeat, LeaveGroup and InitProducerId so that
// librdkafka ≤ 2.11 keeps compression and the group consumer enabled. Produce v0-2 are advertised
// but answered with UNSUPPORTED_VERSION (KAFKA-18659): see `advertisedMinVersion` in handler.ts.
//
// HANDLERS is the one list of every handler. Other engineers add their handlers by APPENDING an
// import line and a list entry (never reorder or rewrite the existing lines).
import { API_SCHEMA_VERSIONS } from '../protocol/generated/api-keys.js';
import type { Handler } from './handler.js';
import { apiVersions } from './handlers/api-versions.js';
import { metadata } from './handlers/metadata.js';
import { produce } from './handlers/produce.js';
import { fetch } from './handlers/fetch.js';
import { listOffsets } from './handlers/list-offsets.js';
// (append handler imports below this line)
import { createTopics } from './handlers/create-topics.js';
import { deleteTopics } from './handlers/delete-topics.js';
import { createPartitions } from './handlers/create-partitions.js';
import { deleteRecords } from './handlers/delete-records.js';
import { describeConfigs } from './handlers/describe-configs.js';
import { alterConfigs } from './handlers/alter-configs.js';
import { incrementalAlterConfigs } from './handlers/incremental-alter-configs.js';
import { describeCluster } from './handlers/describe-cluster.js';
import { describeLogDirs } from './handlers/describe-log-dirs.js';
import { initProducerId } from './handlers/init-producer-id.js';
import { findCoordinator } from './handlers/find-coordinator.js';
import { joinGroup } from './handlers/join-group.js';
import { syncGroup } from './handlers/sync-group.js';
import { heartbeat } from './handlers/heartbeat.js';
import { leaveGroup } from './handlers/leave-group.js';
import { offsetCommit } from './handlers/offset-commit.js';
import { offsetFetch } from './handlers/offset-fetch.js';
import { listGroups } from './handlers/list-groups.js';
import { describeGroups } from './handlers/describe-groups.js';
import { deleteGroups } from './handlers/delete-groups.js';
import { offsetDelete } from './handlers/offset-delete.js';
import { offsetForLeaderEpoch } from './handlers/offset-for-leader-epoch.js';

export const HANDLERS: readonly Handler[] = [
  apiVersions,
  metadata,
  produce,
  fetch,
  listOffsets,
  // (append handlers below this line)
  createTopics,
  deleteTopics,
  createPartitions,
  deleteRecords,
  describeConfigs,
  alterConfigs,
  incrementalAlterConfigs,
  describeCluster,
  describeLogDirs,
  initProducerId,
  findCoordinator,
  joinGroup,
  syncGroup,
  heartbeat,
  leaveGroup,
  offsetCommit,
  offsetFetch,
  listGroups,
  describeGroups,
  deleteGroups,
  offsetDelete,
  offsetForLeaderEpoch,
];

export interface AdvertisedApi {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export class ApiRegistry {
  readonly #byKey = new Map<number, Handler>();
  readonly #advertised: AdvertisedApi[];

  constructor(handlers: readonly Handler[] = HANDLERS) {
    for (const h of handlers) {
      if (this.#byKey.has(h.apiKey)) throw new Error(`two handlers registered for api key ${h.apiKey}`);
      const schema = API_SCHEMA_VERSIONS[h.apiKey];
      if (!schema) throw new Error(`handler for api key ${h.apiKey}: no generated schema`);
      this.#byKey.set(h.apiKey, h);
    }
    this.#advertised = [...this.#byKey.values()]
      .map((h) => ({
        apiKey: h.apiKey,
        minVersion: Math.max(h.advertisedMinVersion ?? h.minVersion, API_SCHEMA_VERSIONS[h.apiKey]![0]),
        maxVersion: Math.min(h.maxVersion, API_SCHEMA_VERSIONS[h.apiKey]![1]),
      }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }

  get(apiKey: number): Handler | undefined {
    return this.#byKey.get(apiKey);
  }

  /** True when `version` of `apiKey` is really served (not merely advertised). */
  serves(apiKey: number, version: number): boolean {
    const h = this.#byKey.get(apiKey);
    return !!h && version >= h.minVersion && version <= Math.min(h.maxVersion, API_SCHEMA_VERSIONS[apiKey]![1]);
  }

  /** The ApiVersions list, sorted by api key. */
  advertised(): readonly AdvertisedApi[] {
    return this.#advertised;
  }

  range(apiKey: number): AdvertisedApi | undefined {
    return this.#advertised.find((a) => a.apiKey === apiKey);
  }
}
