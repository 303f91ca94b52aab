// How client-side commands (`samsa topics|produce|consume`) report failures. The broker is not in
// this process, so most failures are remote: they are printed as ONE line, no stack, exit 1:
//   unreachable bootstrap  → `samsa: cannot connect to localhost:1 (connection refused: ...)`
//   a Kafka error code     → `samsa: UNKNOWN_TOPIC_OR_PARTITION: topic 'x' does not exist (hint)`
// Bad arguments stay usage errors (CliUsageError, exit 2, printed by cli-error.ts). Anything else
// is left to reportCliError, which prints it as a bug with its stack.
import { CliUsageError, EXIT_FAILURE } from '../cli-error.js';

/** A failure the user can act on; printed as `samsa: <message>` with exit code 1. */
export class ClientCommandError extends Error {
  readonly code = 'SAMSA_CLIENT' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ClientCommandError';
  }
}

/** Hints for the Kafka errors these commands can meet, keyed by Kafka's error name. */
const HINTS: Record<string, string> = {
  UNKNOWN_TOPIC_OR_PARTITION: 'check the name with `samsa topics list`',
  TOPIC_ALREADY_EXISTS: 'use --if-not-exists to ignore an existing topic',
  INVALID_REPLICATION_FACTOR: 'the replication factor cannot exceed the number of brokers',
  INVALID_PARTITIONS: 'the partition count can only grow',
  INVALID_CONFIG: 'check the setting name and value (Kafka topic config names, e.g. retention.ms=86400000)',
  INVALID_TOPIC_EXCEPTION: 'topic names use only ASCII letters, digits, ".", "_" and "-", up to 249 characters',
  POLICY_VIOLATION: 'the broker refused the request by policy',
  OFFSET_OUT_OF_RANGE: 'the offset is outside the partition; use --from-beginning or a smaller --offset',
  MESSAGE_TOO_LARGE: 'raise the topic max.message.bytes or send smaller messages',
  NOT_ENOUGH_REPLICAS: 'fewer in-sync replicas than min.insync.replicas; try --acks 1',
  TOPIC_AUTHORIZATION_FAILED: 'the principal in --command-config lacks permission on this topic',
  SASL_AUTHENTICATION_FAILED: 'check the credentials in --command-config',
  UNSUPPORTED_VERSION: 'the broker does not implement this API version',
};

export function hintFor(errorName: string): string | undefined {
  return HINTS[errorName];
}

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  apiId?: unknown;
  serverErrorMessage?: unknown;
  errors?: unknown;
  cause?: unknown;
}

function shape(err: unknown): ErrorShape {
  return typeof err === 'object' && err !== null ? (err as ErrorShape) : {};
}

/** Depth-first leaves of @platformatic/kafka's MultipleErrors / ResponseError trees. */
function leaves(err: unknown, out: unknown[] = []): unknown[] {
  const nested = shape(err).errors;
  if (Array.isArray(nested) && nested.length > 0) for (const e of nested) leaves(e, out);
  else out.push(err);
  return out;
}

/** The first Kafka error (by Kafka's name, e.g. TOPIC_ALREADY_EXISTS) inside a client error. */
export function kafkaErrorName(err: unknown): string | undefined {
  for (const leaf of leaves(err)) {
    const id = shape(leaf).apiId;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

const SOCKET_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is a broker listening there?',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset by the peer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

function networkCause(err: unknown): string | undefined {
  for (const leaf of leaves(err)) {
    let e: unknown = leaf;
    for (let depth = 0; e !== undefined && depth < 5; depth++) {
      const code = shape(e).code;
      if (typeof code === 'string' && code in SOCKET_CAUSES) return `${SOCKET_CAUSES[code]} (${code})`;
      if (code === 'PLT_KFK_TIMEOUT') return 'timed out';
      e = shape(e).cause;
    }
  }
  return undefined;
}

/**
 * One line for a failed client operation. `what` names the operation ("create topic 'x'"),
 * `bootstrap` the servers it talked to.
 */
export function describeClientError(err: unknown, what: string, bootstrap: string): string {
  const name = kafkaErrorName(err);
  if (name !== undefined) {
    const leaf = leaves(err).find((l) => shape(l).apiId === name);
    const server = shape(leaf).serverErrorMessage;
    const detail = typeof server === 'string' && server.length > 0 ? server : String(shape(leaf).message ?? '');
    const hint = hintFor(name);
    return `${what} failed: ${name}: ${detail}${hint ? `; ${hint}` : ''}`;
  }
  const top = shape(err);
  const codes = leaves(err).map((l) => shape(l).code);
  if (codes.includes('PLT_KFK_NETWORK') || top.code === 'PLT_KFK_NETWORK' || networkCause(err) !== undefined) {
    return `cannot connect to ${bootstrap}: ${networkCause(err) ?? 'network error'}`;
  }
  const message = leaves(err).map((l) => String(shape(l).message ?? l)).join('; ');
  return `${what} failed: ${message}`;
}

/**
 * Runs a client command body. Usage errors pass through (exit 2 via reportCliError); a
 * ClientCommandError or any error from the Kafka client becomes one line on stderr and exit 1.
 */
export async function runClientAction(bootstrap: string, what: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    const code = shape(err).code;
    const known = typeof code === 'string' && (code === 'SAMSA_CLIENT' || code.startsWith('PLT_KFK_') || code in SOCKET_CAUSES);
    if (err instanceof CliUsageError || !known) throw err;
    const line = code === 'SAMSA_CLIENT' ? (err as Error).message : describeClientError(err, what, bootstrap);
    process.stderr.write(`samsa: ${line}\n`);
    process.exitCode = EXIT_FAILURE;
  }
}
