// Handler: one Kafka API = an api key + the version range it serves + a function.
//
//   export const heartbeat = defineHandler({
//     apiKey: ApiKey.Heartbeat, minVersion: 0, maxVersion: 4,
//     handle: (req, ctx) => ctx.broker.groups.heartbeat(req),
//   });
//
// Contract:
// - `handle` receives the decoded request body (generated camelCase fields, defaults filled for
//   fields absent at this version) and returns the response body, a Promise of it, or `null`
//   for "send nothing" (Produce acks=0). Fields the response version lacks are ignored by the
//   encoder; missing ones take the schema default.
// - Per-partition failures become error codes in the body (map with `errorCodeOf(err)`); a throw
//   out of `handle` is a bug or a whole-request failure: the connection answers with the API's
//   error response (UNKNOWN_SERVER_ERROR, or the KafkaError's code) and logs it once.
// - Versions in [advertisedMinVersion, minVersion) are advertised in ApiVersions but answered
//   with UNSUPPORTED_VERSION error responses (Kafka 4.0's Produce v0-2, KAFKA-18659).
// - A response may carry file regions in `records` fields (Fetch). Whatever must be freed once
//   those bytes are on the wire (fd refs) is registered with `ctx.onSent(fn)`; it runs exactly
//   once, after the send or when the connection dies first.
import type { Logger } from 'pino';
import type { Broker } from './broker.js';

export interface ConnectionInfo {
  readonly id: number;
  readonly listenerName: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

export interface RequestContext {
  readonly broker: Broker;
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  readonly connection: ConnectionInfo;
  readonly logger: Logger;
  /** Run `fn` once the response bytes were sent (or the connection closed first). */
  onSent(fn: () => void): void;
}

// Bodies are the generated message interfaces; handlers narrow them with their own types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyBody = any;

export interface Handler<Req = AnyBody, Res = AnyBody> {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** Lowest version advertised (defaults to minVersion); below minVersion → UNSUPPORTED_VERSION. */
  readonly advertisedMinVersion?: number;
  handle(req: Req, ctx: RequestContext): Res | null | Promise<Res | null>;
}

export function defineHandler<Req = AnyBody, Res = AnyBody>(handler: Handler<Req, Res>): Handler<Req, Res> {
  if (handler.minVersion > handler.maxVersion) {
    throw new Error(`handler for api ${handler.apiKey}: minVersion ${handler.minVersion} > maxVersion ${handler.maxVersion}`);
  }
  return Object.freeze({ ...handler });
}
