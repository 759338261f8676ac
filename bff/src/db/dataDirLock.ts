import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(dir: string, holder: number | string) {
    super(
      `The data directory ${dir} is in use by another process (PID ${holder}; an embedded database allows one ` +
        'process). Stop the other process, or set DATA_DIR to another directory.',
    );
  }
}

/** Directories this process holds: a second open in the same process is refused like another process's. */
const held = new Set<string>();

/** Whether a process with this PID is running (EPERM: it is, as another user). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the one-process lock of a PGlite data directory (two processes on one directory silently lose writes)
 * and returns its release. A few lines of our own rather than proper-lockfile: that lock goes stale when its
 * mtime is not refreshed in time, and PGlite's WASM work blocks the event loop for as long as a busy machine
 * makes it, so a live holder lost its lock. Here the lock names its holder's PID and only a dead holder's lock
 * (a crash, a kill -9) is taken over; our own PID in the file is a previous life of this PID (a container's
 * PID 1 after a restart), since this process holds no such lock.
 */
export function lockDataDir(dir: string): () => void {
  const key = path.resolve(dir);
  const file = path.join(key, '.lock');
  if (held.has(key)) throw new DataDirLockedError(dir, process.pid);
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: number;
    try {
      holder = Number(readFileSync(file, 'utf8').trim());
    } catch {
      continue; // released between our two steps: try again
    }
    if (holder !== process.pid && alive(holder)) throw new DataDirLockedError(dir, holder);
    rmSync(file, { force: true });
  }
  held.add(key);
  const release = () => {
    if (!held.delete(key)) return;
    process.off('exit', release);
    rmSync(file, { force: true });
  };
  // A normal exit (also after SIGINT/SIGTERM handlers call process.exit) leaves no lock behind.
  process.on('exit', release);
  return release;
}
