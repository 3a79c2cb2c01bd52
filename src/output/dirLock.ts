/**
 * A mkdir-based lock (atomic on every local filesystem), shared by the
 * output rules and the simulator build cache. The holder writes its identity
 * (PID + process start time + host, see processIdentity.ts) into the lock;
 * a waiter breaks the lock at once when that process is gone, even if its
 * PID now belongs to another live process, and says so when it has to wait.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatIdentity, identityState, parseIdentity, selfIdentity } from './processIdentity.ts';

export interface LockOptions {
  /** Give up after this long (ms). */
  readonly waitMs?: number;
  /** A lock whose holder cannot be checked (another host) is stale after this long (ms). */
  readonly staleMs?: number;
  /** Called once when the lock is busy, with who holds it. */
  readonly onWait?: (holder: string) => void;
  /** The error to throw on timeout. */
  readonly timeoutError?: (message: string) => Error;
}

const OWNER = 'owner';

async function holderOf(lockDir: string): Promise<string> {
  try {
    return (await readFile(path.join(lockDir, OWNER), 'utf8')).trim();
  } catch {
    return '(no owner recorded yet)';
  }
}

/** True when the lock can be broken: its holder is dead, or (unknown holder) it is old. */
export async function lockIsStale(lockDir: string, staleMs: number): Promise<boolean> {
  let text: string | null = null;
  try {
    text = await readFile(path.join(lockDir, OWNER), 'utf8');
  } catch {
    text = null;
  }
  const id = text === null ? null : parseIdentity(text);
  if (id !== null) {
    const state = identityState(id);
    if (state === 'dead') return true;
    if (state === 'alive') return false;
  }
  try {
    const st = await stat(lockDir);
    // No (readable) owner yet: the holder may be between mkdir and writeFile; give it 10 s.
    return Date.now() - st.mtimeMs > (id === null ? 10_000 : staleMs);
  } catch {
    return false;
  }
}

export async function withDirLock<T>(lockDir: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const waitMs = opts.waitMs ?? 20 * 60_000;
  const staleMs = opts.staleMs ?? 15 * 60_000;
  const start = Date.now();
  let told = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (await lockIsStale(lockDir, staleMs)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told && opts.onWait !== undefined) {
        told = true;
        opts.onWait(await holderOf(lockDir));
      }
      if (Date.now() - start > waitMs) {
        const message = `timed out after ${waitMs} ms waiting for lock ${lockDir} held by ${await holderOf(lockDir)}`;
        throw opts.timeoutError?.(message) ?? new Error(message);
      }
      await sleep(100);
    }
  }
  try {
    await writeFile(path.join(lockDir, OWNER), formatIdentity(selfIdentity()));
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
