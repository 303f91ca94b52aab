// Topic ids: random version-4 UUIDs. Samsa keeps them in the wire's text form, the dashed
// lowercase hex the protocol codec reads and writes ('6b3e...-....'). Kafka prints and stores them
// (partition.metadata, kafka-topics.sh) as 22-character URL-safe base64 without padding of the
// 16 bytes; `toKafkaBase64` / `parseTopicId` convert. The all-zero UUID means "no id" on the wire.
import { randomUUID } from 'node:crypto';

export const ZERO_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

/** A fresh topic id. Kafka avoids ids whose base64 form starts with '-' (they read as CLI flags). */
export function newTopicId(): string {
  for (;;) {
    const id = randomUUID();
    if (!toKafkaBase64(id).startsWith('-')) return id;
  }
}

function bytesOf(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

function dashed(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Kafka's display/storage form: URL-safe base64 of the 16 bytes, no padding (22 chars). */
export function toKafkaBase64(uuid: string): string {
  return bytesOf(uuid).toString('base64url');
}

/** Accepts the dashed hex form or Kafka's base64 form; returns the dashed form, or null if neither. */
export function parseTopicId(text: string): string | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(t)) return t.toLowerCase();
  if (/^[A-Za-z0-9_-]{22}$/.test(t)) {
    const b = Buffer.from(t, 'base64url');
    if (b.length === 16) return dashed(b.toString('hex'));
  }
  return null;
}
