// `partition.metadata` in a partition directory (Kafka's PartitionMetadataFile):
//
//   version: 0
//   topic_id: <topic id, a UUID string>
//
// Written once when the log is created with a topic id; read back on load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './checkpoint-file.js';
import { CheckpointFormatError } from './errors.js';

export const PARTITION_METADATA_FILE = 'partition.metadata';

export function encodePartitionMetadata(topicId: string): string {
  return `version: 0\ntopic_id: ${topicId}`;
}

export function decodePartitionMetadata(path: string, text: string): string {
  const m = /^version: 0\ntopic_id: (\S+)\s*$/.exec(text);
  if (!m) throw new CheckpointFormatError(path, 'expected "version: 0\\ntopic_id: <uuid>"');
  return m[1];
}

export async function writePartitionMetadata(dir: string, topicId: string): Promise<void> {
  await writeFileAtomic(join(dir, PARTITION_METADATA_FILE), encodePartitionMetadata(topicId));
}

/** The stored topic id, or null when the file is missing. */
export function readPartitionMetadata(dir: string): string | null {
  const path = join(dir, PARTITION_METADATA_FILE);
  try {
    return decodePartitionMetadata(path, readFileSync(path, 'latin1'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
