// Reads input lines (stdin or a file) and yields them in batches for `samsa produce`, so that
// large inputs stream with bounded memory. A trailing newline does not make an extra empty
// message; an empty line in the middle is an empty message (as Kafka's console producer).
// "\r\n" line ends are accepted.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface InputLine {
  /** 1-based line number in the input. */
  number: number;
  text: string;
}

export async function* lineBatches(input: Readable, maxCount: number, maxBytes: number): AsyncGenerator<InputLine[]> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let batch: InputLine[] = [];
  let bytes = 0;
  let number = 0;
  for await (const text of rl) {
    batch.push({ number: ++number, text });
    bytes += text.length;
    if (batch.length >= maxCount || bytes >= maxBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/** The file, or stdin when no file (or '-') is given. */
export function openInput(file: string | undefined): Readable {
  return file === undefined || file === '-' ? process.stdin : createReadStream(file);
}
