// The registry of TS fuzz targets (run.ts, smoke.test.ts and regressions.test.ts use it).
import { batchScanDiff } from './batch-scan.diff.js';
import { crc32cDiff } from './crc32c.diff.js';
import { logOpsFuzz } from './log-ops.fuzz.js';
import { networkFuzz } from './network.fuzz.js';
import { protocolFuzz } from './protocol.fuzz.js';
import type { TsFuzzTarget } from './target.js';

export const TS_TARGETS: TsFuzzTarget[] = [batchScanDiff, crc32cDiff, protocolFuzz, logOpsFuzz, networkFuzz];
