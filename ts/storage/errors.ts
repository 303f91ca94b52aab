// Typed storage errors. Each carries a stable string `code` (test and match on it, not on
// `instanceof`: classes do not survive structured clone to a pool worker) and Kafka's numeric
// `errorCode` (Errors.java) so a handler can answer a client without a lookup table.

export class StorageError extends Error {
  readonly code: string;
  readonly errorCode: number;
  constructor(code: string, errorCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.errorCode = errorCode;
  }
}

/** OFFSET_OUT_OF_RANGE (1): the requested offset is outside [logStartOffset, logEndOffset]. */
export class OffsetOutOfRangeError extends StorageError {
  constructor(readonly offset: number, readonly logStartOffset: number, readonly logEndOffset: number, what = 'offset') {
    super('OFFSET_OUT_OF_RANGE', 1,
      `${what} ${offset} is out of range; valid range is [${logStartOffset}, ${logEndOffset}]: ` +
      'seek to a position inside that range (or reset to earliest/latest)');
  }
}

/** CORRUPT_MESSAGE (2): a batch failed validation (size, magic, CRC, offsets). */
export class CorruptRecordError extends StorageError {
  constructor(message: string, readonly position = -1) {
    super('CORRUPT_MESSAGE', 2, message);
  }
}

/** MESSAGE_TOO_LARGE (10): a batch is larger than max.message.bytes. */
export class RecordTooLargeError extends StorageError {
  constructor(size: number, max: number) {
    super('MESSAGE_TOO_LARGE', 10,
      `record batch of ${size} bytes is larger than max.message.bytes=${max}: ` +
      'send smaller batches or raise max.message.bytes on the topic');
  }
}

/** INVALID_CONFIG (40): a topic config key or value is not acceptable. */
export class InvalidConfigError extends StorageError {
  constructor(readonly key: string, message: string) {
    super('INVALID_CONFIG', 40, `config ${key}: ${message}`);
  }
}

/** KAFKA_STORAGE_ERROR (56): the disk failed under us; the log is offline until reopened. */
export class KafkaStorageError extends StorageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KAFKA_STORAGE_ERROR', 56, message, options);
  }
}

/** The log (or log manager) was closed; reopen it to continue. Maps to KAFKA_STORAGE_ERROR. */
export class LogClosedError extends StorageError {
  constructor(what: string) {
    super('LOG_CLOSED', 56, `${what} is closed: open it again before using it`);
  }
}

/** INVALID_RECORD (87) style: a replica append whose offsets go backwards. */
export class InvalidOffsetError extends StorageError {
  constructor(message: string) {
    super('INVALID_OFFSET', 87, message);
  }
}

/** A checkpoint/metadata file could not be parsed. Readers treat the file as absent. */
export class CheckpointFormatError extends StorageError {
  constructor(readonly path: string, reason: string) {
    super('CHECKPOINT_FORMAT', 56, `checkpoint file ${path} is malformed (${reason}): delete it to rebuild from the log`);
  }
}

/** meta.properties disagrees with this broker's configuration. */
export class InconsistentBrokerMetadataError extends StorageError {
  constructor(message: string) {
    super('INCONSISTENT_BROKER_METADATA', 56, message);
  }
}

export function errorCodeOf(err: unknown): number {
  return err instanceof StorageError ? err.errorCode : -1;
}
