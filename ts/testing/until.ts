// Polling with a deadline, for tests that wait on a real broker or cluster: calls `fn` every
// `everyMs` until it returns a truthy value (returned), retrying when it throws; after `ms` it
// throws naming `what` and the last error seen.
export async function until<T>(fn: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  what: string, ms = 60_000, everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
