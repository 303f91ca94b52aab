// Zero-copy send of a fetch response plan to a plaintext socket: byte spans go out with
// sendmsg (writev), file regions with sendfile(2), in order, on a libuv pool thread.
//
// Getting the fd of a net.Socket: `(socket as any)._handle.fd` (a number >= 0 on Unix for TCP
// and pipe sockets; undefined or -1 otherwise, e.g. TLS sockets — use the read-into-buffers
// path for those). libuv keeps the fd non-blocking, which this code requires.
//
// Contract: while a plan is in flight the caller must NOT write to the socket through Node
// (socket.write would interleave bytes) and must keep the file fds open; responses before it
// must have been flushed (socket.writableLength === 0). Cancel on socket close/error; the job
// notices within ~50 ms. A peer that accepts no byte for stallTimeoutMs (default 30 s) fails
// the plan with code 'ETIMEDOUT'. Each in-flight plan holds one libuv pool thread while the
// peer is slow: raise UV_THREADPOOL_SIZE accordingly.
import { native } from './load.js';

export interface FileRegion {
  fd: number;
  offset: number;
  length: number;
}

export type SendPiece = Uint8Array | FileRegion;

export interface SendPlanHandle {
  /** Resolves with the bytes sent (the sum of all pieces). Rejects with a Node-style system
   *  error: code 'ETIMEDOUT' | 'ECANCELED' | 'EPIPE' | 'ECONNRESET' | 'ENODATA' (file shorter
   *  than a region) | ..., plus `bytesSent`. */
  promise: Promise<number>;
  /** Stops the job at its next check; the promise then rejects with code 'ECANCELED'. */
  cancel(): void;
}

export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

export function sendPlan(socketFd: number, pieces: readonly SendPiece[],
  stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS): SendPlanHandle {
  if (!Number.isInteger(socketFd) || socketFd < 0) {
    throw new TypeError(`sendPlan: socketFd must be a file descriptor >= 0, got ${socketFd}`);
  }
  const flag = new Int32Array(1);
  const promise = native.sendPlan(socketFd, pieces as SendPiece[], stallTimeoutMs, flag);
  return { promise, cancel: () => { Atomics.store(flag, 0, 1); } };
}

/** The fd behind a net.Socket, or -1 when it has none (TLS, not connected, Windows). */
export function socketFd(socket: object): number {
  const fd = (socket as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}
