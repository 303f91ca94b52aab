// appendSegment: one native call and one libuv thread-pool hop per group of batches. Writes the
// log buffers contiguously at logPos (pwritev, short writes and EINTR handled), then the offset
// index bytes at indexPos and the time index bytes at timePos when given, then fdatasync of every
// touched fd when `sync` is true. Resolves with the number of log bytes written.
// Contract: one append per segment in flight; do not modify the buffers until it settles.
// Errors reject as Node-style system errors (err.code 'ENOSPC' | 'EBADF' | ..., err.errno,
// err.syscall); some bytes may have been written, so the caller must re-establish its size.
import { native } from './load.js';

export function appendSegment(
  logFd: number,
  buffers: readonly Uint8Array[],
  logPos: number,
  indexFd: number,
  indexBuf: Uint8Array | null | undefined,
  indexPos: number,
  timeFd: number,
  timeBuf: Uint8Array | null | undefined,
  timePos: number,
  sync: boolean,
): Promise<number> {
  return native.appendSegment(logFd, buffers as Uint8Array[], logPos, indexFd, indexBuf ?? null,
    indexPos, timeFd, timeBuf ?? null, timePos, sync);
}
