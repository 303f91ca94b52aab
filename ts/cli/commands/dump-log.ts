// `samsa dump-log <file...>`: prints what is in segment files, like Kafka's kafka-dump-log.
//
//   .log        one line per batch (offsets, position, size, magic, stored CRC and whether it is
//               valid, codec, timestamp type, max timestamp, producer fields, flags, leader
//               epoch); with --print-records one line per record. A torn or corrupt tail stops
//               the dump with its position and the reason.
//   .index      `offset: <abs> position: <pos>` per entry
//   .timeindex  `timestamp: <ts> offset: <abs>` per entry
//
// --json prints JSON Lines instead: one object per line, discriminated by `type`
// ('file', 'batch', 'record', 'index-entry', 'timeindex-entry', 'tail', 'error', 'file-end'),
// so 1 GiB logs stream without building one huge document. Exit code 1 if a file could not be
// read or is not a segment file; a torn tail alone is not an error here (see `samsa check`).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { RecordBatchView } from '../../protocol/record/batch-reader.js';
import { parseControlRecordKey, parseEndTransactionMarker } from '../../protocol/record/control-records.js';
import { parseOffsetIndex, parseSegmentFileName, parseTimeIndex, scanLogFile, DEFAULT_CHUNK_BYTES } from '../segment-files.js';

export interface DumpLogOptions {
  printRecords?: boolean;
  json?: boolean;
  /** Read size for .log files (tests use small chunks to cross chunk boundaries). */
  chunkBytes?: number;
}

export type Emit = (line: string) => void | Promise<void>;

/** UTF-8 text when the bytes are valid UTF-8 without control characters (tab/newline allowed), else hex. */
export function showBytes(b: Buffer | null): { text: string | null; format: 'utf8' | 'hex' } {
  if (b === null) return { text: null, format: 'utf8' };
  const s = b.toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (Buffer.byteLength(s) === b.length && !s.includes('\uFFFD') && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s)) {
    return { text: s, format: 'utf8' };
  }
  return { text: b.toString('hex'), format: 'hex' };
}

function textOf(b: Buffer | null): string {
  const s = showBytes(b);
  return s.text === null ? 'null' : s.format === 'hex' ? `0x${s.text}` : JSON.stringify(s.text);
}

function batchFields(v: RecordBatchView, position: number) {
  const computedCrc = v.computeCrc();
  return {
    baseOffset: v.baseOffset, lastOffset: v.lastOffset, count: v.recordsCount, position, size: v.size, magic: v.magic,
    crc: v.crc, computedCrc, crcValid: computedCrc === v.crc, compression: v.compressionName, timestampType: v.timestampType,
    baseTimestamp: v.baseTimestamp, maxTimestamp: v.maxTimestamp, producerId: v.producerId, producerEpoch: v.producerEpoch,
    baseSequence: v.baseSequence, isTransactional: v.isTransactional, isControl: v.isControl,
    partitionLeaderEpoch: v.partitionLeaderEpoch,
  };
}

async function dumpLogFile(file: string, opts: DumpLogOptions, emit: Emit): Promise<void> {
  const json = opts.json === true;
  let records = 0;
  const scan = await scanLogFile(file, { onBatch: async (v, position) => {
    const f = batchFields(v, position);
    if (json) await emit(JSON.stringify({ type: 'batch', file, ...f }));
    else {
      await emit(`baseOffset: ${f.baseOffset} lastOffset: ${f.lastOffset} count: ${f.count} position: ${f.position} size: ${f.size} `
        + `magic: ${f.magic} crc: ${f.crc} isValid: ${f.crcValid} compression: ${f.compression} ${f.timestampType}: ${f.maxTimestamp} `
        + `producerId: ${f.producerId} producerEpoch: ${f.producerEpoch} baseSequence: ${f.baseSequence} `
        + `isTransactional: ${f.isTransactional} isControl: ${f.isControl} partitionLeaderEpoch: ${f.partitionLeaderEpoch}`);
    }
    if (!opts.printRecords) return;
    let recs;
    try {
      recs = v.records();
    } catch (err) {
      const e = err as { code?: string; message: string };
      if (json) await emit(JSON.stringify({ type: 'error', file, position, code: e.code ?? 'ERROR', message: e.message }));
      else await emit(`| cannot read records of the batch at position ${position}: ${e.message}`);
      return;
    }
    for (const r of recs) {
      records++;
      let control: { type: string; coordinatorEpoch?: number } | undefined;
      if (v.isControl) {
        try {
          const key = parseControlRecordKey(r.key);
          control = { type: key.typeName };
          if (key.typeName === 'COMMIT' || key.typeName === 'ABORT') control.coordinatorEpoch = parseEndTransactionMarker(r.value).coordinatorEpoch;
        } catch (err) { control = { type: `invalid (${(err as Error).message})` }; }
      }
      if (json) {
        const key = showBytes(r.key);
        const value = showBytes(r.value);
        await emit(JSON.stringify({
          type: 'record', file, offset: r.offset, timestamp: r.timestamp, key: key.text, keyFormat: key.format,
          value: value.text, valueFormat: value.format,
          headers: r.headers.map((h) => { const s = showBytes(h.value); return { key: h.key, value: s.text, valueFormat: s.format }; }),
          ...(control ? { control } : {}),
        }));
      } else {
        const hs = r.headers.map((h) => `${JSON.stringify(h.key)}=${textOf(h.value)}`).join(', ');
        const ctl = control ? ` control: ${control.type}${control.coordinatorEpoch !== undefined ? ` coordinatorEpoch: ${control.coordinatorEpoch}` : ''}` : '';
        await emit(`| offset: ${r.offset} ${v.timestampType}: ${r.timestamp} key: ${textOf(r.key)} value: ${textOf(r.value)} headers: [${hs}]${ctl}`);
      }
    }
  } }, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  if (scan.tail !== null) {
    if (json) await emit(JSON.stringify({ type: 'tail', file, ...scan.tail, bytes: scan.fileSize - scan.tail.position }));
    else await emit(`stopped at position ${scan.tail.position} (${scan.fileSize - scan.tail.position} bytes not shown): ${scan.tail.kind === 'partial' ? 'torn tail' : 'corrupt batch'}: ${scan.tail.reason}`);
  }
  if (json) await emit(JSON.stringify({ type: 'file-end', file, batches: scan.batches, records, validBytes: scan.validBytes, fileSize: scan.fileSize }));
}

async function dumpIndexFile(file: string, kind: 'index' | 'timeindex', baseOffset: number, opts: DumpLogOptions, emit: Emit): Promise<void> {
  const buf = await readFile(file);
  const parsed = kind === 'index' ? parseOffsetIndex(buf, baseOffset) : parseTimeIndex(buf, baseOffset);
  for (const e of parsed.entries) {
    if ('position' in e) {
      await emit(opts.json ? JSON.stringify({ type: 'index-entry', file, offset: e.offset, position: e.position }) : `offset: ${e.offset} position: ${e.position}`);
    } else {
      await emit(opts.json ? JSON.stringify({ type: 'timeindex-entry', file, timestamp: e.timestamp, offset: e.offset }) : `timestamp: ${e.timestamp} offset: ${e.offset}`);
    }
  }
  if (parsed.trailingBytes !== 0 && !opts.json) await emit(`warning: ${parsed.trailingBytes} trailing bytes are not a whole entry`);
  if (opts.json) await emit(JSON.stringify({ type: 'file-end', file, entries: parsed.entries.length, trailingBytes: parsed.trailingBytes, fileSize: buf.length }));
}

/** Dumps every file in order; returns the exit code (1 if any file could not be dumped). */
export async function dumpLog(files: string[], opts: DumpLogOptions, emit: Emit): Promise<number> {
  let exit = 0;
  for (const file of files) {
    const name = parseSegmentFileName(file);
    if (opts.json) await emit(JSON.stringify({ type: 'file', file, kind: name?.kind ?? null, baseOffset: name?.baseOffset ?? null }));
    else await emit(`Dumping ${file}`);
    try {
      if (name === null) {
        throw Object.assign(new Error(`${file} is not a segment file: expected <20-digit base offset>.log, .index or .timeindex`), { code: 'NOT_A_SEGMENT_FILE' });
      }
      if (!opts.json) await emit(`Starting offset: ${name.baseOffset}`);
      if (name.kind === 'log') await dumpLogFile(file, opts, emit);
      else await dumpIndexFile(file, name.kind, name.baseOffset, opts, emit);
    } catch (err) {
      exit = 1;
      const e = err as { code?: string; message: string };
      if (opts.json) await emit(JSON.stringify({ type: 'error', file, code: e.code ?? 'ERROR', message: e.message }));
      else await emit(`error: ${e.message}`);
    }
  }
  return exit;
}

/** Writes a line to stdout, waiting for the stream to drain when it is full (large dumps, pipes). */
export function stdoutEmit(line: string): void | Promise<void> {
  if (process.stdout.write(line + '\n')) return;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

export function register(program: Command): void {
  program
    .command('dump-log')
    .description('print the record batches of .log files and the entries of .index/.timeindex files')
    .argument('<file...>', 'segment files (<20-digit base offset>.log, .index, .timeindex)')
    .option('--print-records', 'print every record of every batch')
    .option('--print-data-log', 'alias of --print-records')
    .option('--json', 'JSON Lines output, one object per line')
    .action(async (files: string[], o: { printRecords?: boolean; printDataLog?: boolean; json?: boolean }) => {
      // `samsa dump-log x.log | head` closes the pipe early: stop quietly.
      process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw err; });
      const code = await dumpLog(files, { printRecords: o.printRecords === true || o.printDataLog === true, json: o.json === true }, stdoutEmit);
      if (code !== 0) {
        // main.ts sets the exit code from its own return value after the action; keep ours.
        process.exitCode = code;
        process.once('exit', () => { process.exitCode = code; });
      }
    });
}
