import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimError } from './simError.ts';

/** A lock held longer than this, or by a dead process, is stale. */
const STALE_MS = 15 * 60_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lockDir: string): Promise<boolean> {
  try {
    const owner = Number.parseInt(await readFile(path.join(lockDir, 'owner'), 'utf8'), 10);
    if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) return true;
    const st = await stat(lockDir);
    return Date.now() - st.mtimeMs > STALE_MS;
  } catch {
    // No owner file yet: the holder may be between mkdir and writeFile.
    try {
      const st = await stat(lockDir);
      return Date.now() - st.mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
}

/**
 * mkdir-based lock: atomic on every local filesystem, works across vitest
 * worker processes and between concurrent calls in one process.
 */
export async function withDirLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  waitMs = 20 * 60_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (await isStale(lockDir)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - start > waitMs) {
        throw new SimError(`timed out after ${waitMs} ms waiting for build lock ${path.basename(lockDir)}`, 'build');
      }
      await sleep(100);
    }
  }
  try {
    await writeFile(path.join(lockDir, 'owner'), String(process.pid));
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
