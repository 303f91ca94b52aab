// InitProducerId v0-5 (Kafka 4.0: 0-5; min 0 advertised so librdkafka ≤ 2.11 enables idempotence).
// v2 flexible; v3 producerId/producerEpoch (KIP-360); v4 PRODUCER_FENCED instead of
// INVALID_PRODUCER_EPOCH; v5 no wire change (KIP-890). Semantics in producer-id-manager.ts.
// A transactional id needs 0 < transactionTimeoutMs ≤ transaction.max.timeout.ms, else
// INVALID_TRANSACTION_TIMEOUT. The ProducerIdManager is created per broker on first use, with its
// block file in the first log dir (the transaction coordinator will take it over later).
import { ApiKey } from '../../protocol/generated/api-keys.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../../protocol/generated/messages.js';
import { KafkaError, errorCodeOf } from '../../protocol/error-codes.js';
import { defineHandler } from '../handler.js';
import type { Broker } from '../broker.js';
import { FileBlockStore, ProducerIdManager } from '../producer-id-manager.js';
import { ZkProducerIdBlockStore } from '../../cluster/zk-producer-id-block-store.js';

const managers = new WeakMap<Broker, ProducerIdManager>();

export function producerIdManagerOf(broker: Broker): ProducerIdManager {
  let m = managers.get(broker);
  if (!m) {
    // CLUSTER HOOK (ts/cluster): blocks in ZooKeeper so that brokers never share a producer id
    const store = broker.cluster ? new ZkProducerIdBlockStore(broker.cluster.zk) : new FileBlockStore(broker.config.logDirs[0]!);
    m = new ProducerIdManager(store, broker.brokerId);
    managers.set(broker, m);
  }
  return m;
}

export const initProducerId = defineHandler<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 5,
  async handle(req, ctx) {
    const { broker, apiVersion } = ctx;
    try {
      if (req.transactionalId) {
        const max = broker.config.int('transaction.max.timeout.ms');
        if (req.transactionTimeoutMs <= 0 || req.transactionTimeoutMs > max) {
          throw new KafkaError(50, `transaction timeout ${req.transactionTimeoutMs} ms must be in (0, ${max}] (transaction.max.timeout.ms)`);
        }
      }
      const r = await producerIdManagerOf(broker).initProducerId({
        transactionalId: req.transactionalId, producerId: req.producerId ?? -1, producerEpoch: req.producerEpoch ?? -1, apiVersion,
      });
      return { throttleTimeMs: 0, errorCode: 0, producerId: r.producerId, producerEpoch: r.producerEpoch };
    } catch (err) {
      return { throttleTimeMs: 0, errorCode: errorCodeOf(err), producerId: -1, producerEpoch: -1 };
    }
  },
});
