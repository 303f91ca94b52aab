// Zero-copy sender: hands a response's pieces (Buffers + file regions) to the native send plan
// (ts/native/send-plan.ts: writev for spans, sendfile for regions; first on the event loop
// without waiting, and only a remainder the socket did not take, or past the 4 MiB in-call
// budget, on the libuv pool; the handle's `completed` says no remainder was left). The caller
// (ResponseWriter) guarantees nothing else writes to the socket while the plan runs and that
// Node's own write queue is empty before it starts.
//
// Stall: if the peer accepts no byte for the stall timeout (30 s) the plan fails with ETIMEDOUT
// and the connection is closed. Cancel (connection closed meanwhile) stops the job at its next
// check; the promise then rejects with ECANCELED.
import { DEFAULT_STALL_TIMEOUT_MS, sendPlan } from '../native/send-plan.js';
import { isRegion, type WirePiece, type ZeroCopySender } from './response-writer.js';

export function nativeZeroCopySender(stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS): ZeroCopySender {
  return (fd: number, pieces: WirePiece[]) =>
    sendPlan(fd, pieces.map((p) => (isRegion(p) ? { fd: p.fd, offset: p.position, length: p.length } : p)), stallTimeoutMs);
}
