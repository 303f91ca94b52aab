// kafkajs (CommonJS) for the ESM tests: one place that imports it, quiets its logger and its
// partitioner warning, and can route every connection through a KafkaProxy (kafkajs' socketFactory)
// without changing what the broker advertises.
import net from 'node:net';
import kafkajs from 'kafkajs';
import type { Kafka as KafkaType, KafkaConfig } from 'kafkajs';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
export const { Kafka, logLevel, ConfigResourceTypes, CompressionTypes } = kafkajs;

export interface KafkajsOptions extends Partial<KafkaConfig> {
  /** Connect every socket to this local port instead of the advertised address. */
  viaProxyPort?: number;
}

export function createKafkajs(bootstrap: string, options: KafkajsOptions = {}): KafkaType {
  const { viaProxyPort, ...config } = options;
  return new Kafka({
    clientId: 'samsa-interop-kafkajs',
    brokers: [bootstrap],
    logLevel: process.env.SAMSA_TEST_KAFKAJS_LOG ? logLevel.DEBUG : logLevel.NOTHING,
    connectionTimeout: 5000,
    requestTimeout: 15000,
    retry: { retries: 5, initialRetryTime: 100 },
    ...(viaProxyPort ? { socketFactory: ({ onConnect }) => net.connect(viaProxyPort, '127.0.0.1', onConnect) } : {}),
    ...config,
  });
}
