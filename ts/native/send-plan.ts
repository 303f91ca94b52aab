// Zero-copy send of a fetch response plan to a plaintext socket: byte spans go out with
// sendmsg (writev), file regions with sendfile(2), in order. The call first writes, on the
// event loop and without waiting, what the socket accepts now; only a remainder (socket full)
// goes to a libuv pool thread that waits for the peer. `completed` says the whole plan went out
// in the call itself (no thread hop: the usual case for a consumer that keeps up).
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
  /** True when every byte was sent inside sendPlan() (promise already resolved). */
  completed: boolean;
}

export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

const noop = (): void => {};

export function sendPlan(socketFd: number, pieces: readonly SendPiece[],
  stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS): SendPlanHandle {
  if (!Number.isInteger(socketFd) || socketFd < 0) {
    throw new TypeError(`sendPlan: socketFd must be a file descriptor >= 0, got ${socketFd}`);
  }
  const flag = new Int32Array(1);
  // The addon returns a plain number when the plan completed in the call.
  const r = native.sendPlan(socketFd, pieces as SendPiece[], stallTimeoutMs, flag);
  if (typeof r === 'number') return { promise: Promise.resolve(r), cancel: noop, completed: true };
  return { promise: r, cancel: () => { Atomics.store(flag, 0, 1); }, completed: false };
}

/** The fd behind a net.Socket, or -1 when it has none (TLS, not connected, Windows). */
export function socketFd(socket: object): number {
  const fd = (socket as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}
