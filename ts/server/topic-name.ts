// Topic name rules, as Kafka's Topic.validate / Topic.hasCollision apply them on creation:
//   - 1..249 characters (249 leaves room for a `-<partition>` directory suffix and the
//     `.<uuid>-delete` rename within a 255-byte file name)
//   - only ASCII letters, digits, '.', '_' and '-'
//   - not '.' nor '..'
// Names that differ only by '.' versus '_' collide (metric names replace '.' with '_'), so a
// topic whose name collides with an existing one is refused with INVALID_TOPIC_EXCEPTION (17).
import { KafkaError } from '../protocol/error-codes.js';

export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;
const INVALID_TOPIC_EXCEPTION = 17;

/** Kafka's internal topics: created by the broker, listed with isInternal = true. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state']);

export function isInternalTopic(name: string): boolean {
  return INTERNAL_TOPICS.has(name);
}

/** The reason `name` is not a legal topic name, or null when it is. */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return `topic name '${name}' is not allowed`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) return `topic name is ${name.length} characters long; the maximum is ${MAX_TOPIC_NAME_LENGTH}`;
  if (!LEGAL.test(name)) {
    const bad = [...new Set([...name].filter((c) => !/[a-zA-Z0-9._-]/.test(c)))].map((c) => JSON.stringify(c)).join(', ');
    return `topic name '${name}' contains ${bad}; legal characters are ASCII letters, digits, '.', '_' and '-'`;
  }
  return null;
}

/** Throws INVALID_TOPIC_EXCEPTION (17) when `name` is not a legal topic name. */
export function validateTopicName(name: string): void {
  const problem = topicNameProblem(name);
  if (problem) throw new KafkaError(INVALID_TOPIC_EXCEPTION, problem);
}

/** True when the name contains '.' or '_' and could therefore collide with another. */
export function hasCollisionChars(name: string): boolean {
  return name.includes('.') || name.includes('_');
}

/** The form two colliding names share: every '.' replaced by '_'. */
export function unifyCollisionChars(name: string): string {
  return name.replaceAll('.', '_');
}

/** The existing topic `name` collides with ('.' vs '_'), or null. An identical name is not a collision. */
export function findCollision(name: string, existing: Iterable<string>): string | null {
  if (!hasCollisionChars(name)) return null;
  const unified = unifyCollisionChars(name);
  for (const other of existing) if (other !== name && unifyCollisionChars(other) === unified) return other;
  return null;
}
