// Zero-copy sender: hands a response's pieces (Buffers + file regions) to the native send plan
// (writev for spans, sendfile for regions, on the libuv pool). The caller (ResponseWriter)
// guarantees nothing else writes to the socket while the plan runs and that Node's own write
// queue is empty before it starts.
//
// Stall: if the peer accepts no byte for STALL_TIMEOUT_MS the plan fails with ETIMEDOUT and the
// connection is closed (Kafka's connections.max.idle.ms plays a similar role for a stuck peer).
// Cancel (connection closed meanwhile): the native job sees the flag within ~50 ms.
import { native } from '../native/load.js';
import { isRegion, type WirePiece, type ZeroCopySender } from './response-writer.js';

const STALL_TIMEOUT_MS = 30_000;

export function nativeZeroCopySender(stallTimeoutMs = STALL_TIMEOUT_MS): ZeroCopySender {
  return (fd: number, pieces: WirePiece[]) => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const list = pieces.map((p) => (isRegion(p) ? { fd: p.fd, offset: p.position, length: p.length } : p));
    return {
      promise: native.sendPlan(fd, list, stallTimeoutMs, flag),
      cancel: () => Atomics.store(flag, 0, 1),
    };
  };
}
