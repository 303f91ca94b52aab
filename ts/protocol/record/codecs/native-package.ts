// Loads a codec's npm package on first use, so that importing the record format never fails on a
// platform without the package's prebuilt binary: only batches that use that codec do, and they
// get UNSUPPORTED_COMPRESSION naming the package and the fix.
import { createRequire } from 'node:module';
import { RecordFormatError } from '../errors.js';

const require = createRequire(import.meta.url);

/** A memoised loader for `pkg`; `codec` names the Kafka codec in the error. */
export function lazyPackage<T>(pkg: string, codec: string): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded !== undefined) return loaded;
    try {
      loaded = require(pkg) as T;
    } catch (err) {
      throw new RecordFormatError('UNSUPPORTED_COMPRESSION',
        `${codec} needs the npm package "${pkg}", which failed to load (${(err as Error).message}); run \`npm install ${pkg}\` on a supported platform`);
    }
    return loaded;
  };
}

/** Checks a codec level against Kafka's range for it (KIP-390 compression.<codec>.level). */
export function checkLevel(codec: string, level: number, min: number, max: number): void {
  if (!Number.isInteger(level) || level < min || level > max) {
    throw new RecordFormatError('RECORD_VALUE_OUT_OF_RANGE', `compression.${codec}.level ${level} is outside [${min}, ${max}]`);
  }
}
