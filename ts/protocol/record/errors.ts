// Typed errors of the record format. `code` is stable; test it rather than `instanceof`
// (classes do not survive a structured clone into or out of a worker).

export type RecordErrorCode = 'CORRUPT_RECORD' | 'UNSUPPORTED_COMPRESSION' | 'RECORD_VALUE_OUT_OF_RANGE';

export class RecordFormatError extends Error {
  readonly code: RecordErrorCode;
  constructor(code: RecordErrorCode, message: string) {
    super(message);
    this.name = 'RecordFormatError';
    this.code = code;
  }
}

/** Bytes that do not decode as magic v2 records. */
export function corrupt(message: string): RecordFormatError {
  return new RecordFormatError('CORRUPT_RECORD', message);
}
