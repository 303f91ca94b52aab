// The ONLY place that loads the native addon build/Release/samsa.node. The path is resolved from
// this file (ts/native/load.ts under tsx, dist/native/load.js when compiled): both sit two levels
// below the package root. There is no silent fallback: a missing or broken addon is an error
// that says how to rebuild it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The functions exported by native/src/napi (see each wrapper in ts/native for contracts). */
export interface NativeAddon {
  crc32c(buf: Uint8Array, init?: number): number;
  crc32cPortable(buf: Uint8Array, init?: number): number;
  crc32cImplementation(): 'sse4.2' | 'portable';
  scanBatches(buf: Uint8Array, start: number, end: number, mode: number, out: Float64Array,
    assignBase: number, leaderEpoch: number, logAppendTime: number): number;
  indexLookup(entries: Uint8Array, count: number, targetRelOffset: number): number;
  timeIndexLookup(entries: Uint8Array, count: number, targetTimestamp: number, out: Float64Array): number;
  indexSanity(entries: Uint8Array, count: number, logSize: number): number;
  timeIndexSanity(entries: Uint8Array, count: number, maxRelOffset: number): number;
  appendSegment(logFd: number, buffers: Uint8Array[], logPos: number, indexFd: number,
    indexBuf: Uint8Array | null, indexPos: number, timeFd: number, timeBuf: Uint8Array | null,
    timePos: number, sync: boolean): Promise<number>;
  sendPlan(socketFd: number, pieces: Array<Uint8Array | { fd: number; offset: number; length: number }>,
    stallTimeoutMs: number, cancelFlag: Int32Array): number | Promise<number>;
  pageCached(fd: number, offset: number, length: number): boolean;
}

export class NativeLoadError extends Error {
  readonly code = 'SAMSA_NATIVE_LOAD';
  readonly path: string;
  constructor(addonPath: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot load the Samsa native addon from ${addonPath}: ${reason}. ` +
      'Run `npm run build:native` to (re)build it.', { cause });
    this.name = 'NativeLoadError';
    this.path = addonPath;
  }
}

/** Absolute path of the addon this process loads. */
export const addonPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..',
  'build', 'Release', 'samsa.node');

function load(): NativeAddon {
  const require = createRequire(import.meta.url);
  try {
    return require(addonPath) as NativeAddon;
  } catch (err) {
    throw new NativeLoadError(addonPath, err);
  }
}

/** The loaded addon (loaded once per thread, when this module is first imported). */
export const native: NativeAddon = load();
