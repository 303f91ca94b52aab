// Imported first by the CLI entry, before anything can touch libuv's thread pool (it is sized
// once, on first use). Zero-copy fetches to slow consumers hold a pool thread while the socket
// is full (see ts/native/send-plan.ts), and appends, fsyncs and file reads need threads too:
// Node's default of 4 would let a few slow consumers stall the disk path. A user's own
// UV_THREADPOOL_SIZE wins.
process.env.UV_THREADPOOL_SIZE ??= '32';
export {};
