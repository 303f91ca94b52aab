// Generic error responses: one error code spread over a request's structure.
//
// Kafka builds an error response per API (`AbstractRequest.getErrorResponse`): the top-level
// error code when the response has one, and for every topic/partition (group, resource...) the
// request named, an entry with that error code. We derive the same from the schema table instead
// of writing it 70 times: walk the response schema at the request's version, set every `errorCode`
// field, and mirror each struct array from the request array it answers (same name, or the known
// pairs below: ProduceResponse.responses ↔ ProduceRequest.topicData ...), copying the identity
// fields (topic name, topic id, partition index...) of each element. Everything else takes the
// schema default when encoded.
//
// Used for: a known API at an unadvertised version (UNSUPPORTED_VERSION), and a handler that
// throws for the whole request.
import { inRange, type FieldSchema, type MessageSchema } from '../protocol/schema-types.js';

type Obj = Record<string, unknown>;

/** Response array name → request array names it may answer, tried in order after the same name. */
const ARRAY_ALIASES: Record<string, readonly string[]> = {
  responses: ['topics', 'topicData'],
  partitionResponses: ['partitionData', 'partitions'],
  partitions: ['partitionData', 'partitionIndexes'],
  results: ['topics', 'resources', 'groups', 'groupIds'],
  topics: ['topicData'],
  groups: ['groupIds', 'groups'],
};

/** Response scalar name → request field names it copies, tried in order after the same name. */
const IDENTITY_ALIASES: Record<string, readonly string[]> = {
  name: ['topic', 'name', 'topicName', 'groupId'],
  topic: ['name', 'topicName'],
  topicName: ['name', 'topic'],
  partitionIndex: ['partition', 'index', 'partitionIndex'],
  index: ['partition', 'partitionIndex'],
  partition: ['partitionIndex', 'index'],
  topicId: [],
  groupId: [],
  resourceType: [],
  resourceName: [],
  transactionalId: [],
  key: [],
  keyType: [],
};

function pick(req: Obj | undefined, name: string, aliases: readonly string[] | undefined): unknown {
  if (!req) return undefined;
  if (req[name] !== undefined) return req[name];
  for (const a of aliases ?? []) if (req[a] !== undefined) return req[a];
  return undefined;
}

function fillStruct(fields: readonly FieldSchema[], version: number, req: Obj | undefined, code: number): Obj {
  const out: Obj = {};
  for (const f of fields) {
    if (!inRange(f.versions, version)) continue;
    if (f.name === 'errorCode' && f.type === 'int16') {
      out.errorCode = code;
    } else if (f.type === '[]struct') {
      const src = pick(req, f.name, ARRAY_ALIASES[f.name]);
      if (Array.isArray(src) && src.every((e) => e !== null && typeof e === 'object')) {
        out[f.name] = src.map((el) => fillStruct(f.fields ?? [], version, el as Obj, code));
      } else if (Array.isArray(src) && f.name === 'results' && src.every((e) => typeof e === 'string')) {
        // e.g. DeleteGroups: groupsNames: string[] → results[{ groupId, errorCode }]
        out[f.name] = src.map((s) => fillStruct(f.fields ?? [], version, { groupId: s, name: s }, code));
      } else {
        out[f.name] = [];
      }
    } else if (f.type === 'struct') {
      const src = req?.[f.name];
      out[f.name] = fillStruct(f.fields ?? [], version, src && typeof src === 'object' ? (src as Obj) : undefined, code);
    } else if (f.name in IDENTITY_ALIASES) {
      const v = pick(req, f.name, IDENTITY_ALIASES[f.name]);
      if (v !== undefined && typeof v !== 'object') out[f.name] = v;
      else if (v !== undefined && f.type === 'uuid') out[f.name] = v;
    }
  }
  return out;
}

/** The response body for `request` at `version` with every error code set to `errorCode`. */
export function buildErrorResponse(responseSchema: MessageSchema, version: number, request: unknown, errorCode: number): Obj {
  const req = request && typeof request === 'object' ? (request as Obj) : undefined;
  return fillStruct(responseSchema.fields, version, req, errorCode);
}
