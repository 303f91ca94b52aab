// Samsa's public entry: re-exports only. The embedded log (openLog) and its types and errors;
// startBroker is added by the server.
export { openLog, EmbeddedLog, CLEAN_SHUTDOWN_FILE } from './storage/embedded-log.js';
export type { OpenLogOptions, AppendRecord, ReadRecord } from './storage/embedded-log.js';
export type { Durability, AppendResult, AppendOptions, FileRegion, ReadOptions, ReadResult, TimestampOffsetEpoch } from './storage/log.js';
export type { RecoveryEvent } from './storage/recovery.js';
export type { LogConfig, CleanupPolicy, TimestampType } from './storage/log-config.js';
export { DEFAULT_LOG_CONFIG, parseLogConfig, LOG_CONFIG_KEYS } from './storage/log-config.js';
export {
  StorageError, OffsetOutOfRangeError, CorruptRecordError, RecordTooLargeError, InvalidConfigError,
  KafkaStorageError, LogClosedError, InvalidOffsetError, CheckpointFormatError, InconsistentBrokerMetadataError,
} from './storage/errors.js';
export { startBroker } from './server/start-broker.js';
export type { StartBrokerOptions, BrokerHandle } from './server/start-broker.js';
