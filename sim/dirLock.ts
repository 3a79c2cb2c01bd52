import path from 'node:path';
import { withDirLock as lock } from '../src/output/dirLock.ts';
import { SimError } from './simError.ts';

/**
 * The build cache's lock: src/output's mkdir lock, whose owner is a PID plus
 * the process start time (a PID reused by another live process does not keep
 * a dead builder's lock), with a SimError on timeout and one line on stderr
 * (or `onWait`) when a build has to wait for another.
 */
export async function withDirLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  waitMs = 20 * 60_000,
  onWait: (holder: string) => void = (holder) => process.stderr.write(`pikehdl sim: waiting for build lock ${path.basename(lockDir)} held by ${holder}\n`),
): Promise<T> {
  return lock(lockDir, fn, {
    waitMs,
    staleMs: 15 * 60_000,
    onWait,
    timeoutError: () => new SimError(`timed out after ${waitMs} ms waiting for build lock ${path.basename(lockDir)}`, 'build'),
  });
}
