// ProtocolError: the only error the decoders throw for bad input. The field path is built lazily:
// the primitive reader throws with just a reason, and each codec level that catches it on the way
// up prepends its field name or array index. Nothing is concatenated unless an error happens.

export type ProtocolErrorCode =
  | 'PROTOCOL_TRUNCATED'        // a read needs more bytes than remain
  | 'PROTOCOL_BAD_LENGTH'       // a declared length is negative (non-null) or larger than what remains
  | 'PROTOCOL_BAD_VARINT'       // a varint longer than 5 bytes (int32) or out of range
  | 'PROTOCOL_BAD_UTF8'         // a string that is not valid UTF-8
  | 'PROTOCOL_BAD_TAGS'         // tagged fields out of order or with a bad size
  | 'PROTOCOL_NULL'             // null where the version does not allow it
  | 'PROTOCOL_BAD_VALUE'        // an encode-side value that cannot be represented
  | 'PROTOCOL_TRAILING_BYTES'   // bytes left after a complete message
  | 'UNSUPPORTED_VERSION';      // api key or version this codec does not know

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  readonly reason: string;
  /** Path segments from the message root to the failing field, e.g. ['topicData', 0, 'name']. */
  readonly path: Array<string | number> = [];
  context = '';

  constructor(code: ProtocolErrorCode, reason: string) {
    super(reason);
    this.code = code;
    this.reason = reason;
  }

  /** Called by the codec while unwinding: adds one level of path and refreshes the message. */
  under(segment: string | number): this {
    this.path.unshift(segment);
    this.refresh();
    return this;
  }

  /** Names the message, e.g. "ProduceRequest v9"; set once at the top. */
  within(context: string): this {
    this.context = context;
    this.refresh();
    return this;
  }

  get fieldPath(): string {
    let s = '';
    for (const seg of this.path) s += typeof seg === 'number' ? `[${seg}]` : (s ? '.' : '') + seg;
    return s;
  }

  private refresh(): void {
    const path = this.fieldPath;
    const where = [this.context, path].filter((x) => x).join(' ');
    this.message = where ? `${where}: ${this.reason}` : this.reason;
  }
}

export function isProtocolError(err: unknown): err is ProtocolError {
  return err instanceof ProtocolError;
}
