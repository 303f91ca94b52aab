// Test helper: drops a file's pages from the page cache (fsync, then posix_fadvise DONTNEED,
// through Debian's python3 because Node has no fadvise binding). False when that failed.
import { spawnSync } from 'node:child_process';

export function dropFromPageCache(path: string): boolean {
  const script = 'import os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)';
  return spawnSync('python3', ['-c', script, path]).status === 0;
}
