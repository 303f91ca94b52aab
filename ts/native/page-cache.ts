// Whether a file range is in the page cache right now (native core range_cached: 1-byte
// preadv2(RWF_NOWAIT) probes every 256 KiB and at the last byte). The storage layer reads hot
// ranges synchronously on the event loop (microseconds) and sends cold ones to the libuv pool,
// so a read that would wait for the disk never blocks the loop. True where the kernel cannot
// tell. No .ref.ts twin: residency is the kernel's state, not a function of the inputs.
import { native } from './load.js';

export function pageCached(fd: number, offset: number, length: number): boolean {
  return native.pageCached(fd, offset, length);
}
