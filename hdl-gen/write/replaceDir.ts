import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces `outDir` all at once with what `fill` writes into a temporary
 * sibling folder, so a failure part-way never leaves a half-written folder
 * that looks complete (the old contents stay, or the new ones are complete).
 * Returns the absolute directory.
 */
export async function replaceDir(outDir: string, fill: (tmp: string) => Promise<void>): Promise<string> {
  const dir = path.resolve(outDir);
  await mkdir(path.dirname(dir), { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = `${dir}.tmp-${tag}`;
  const old = `${dir}.old-${tag}`;
  try {
    await mkdir(tmp);
    await fill(tmp);
    // rename() cannot replace a non-empty directory: move the old one aside
    // first, and put it back if the swap fails.
    const hadOld = existsSync(dir);
    if (hadOld) await rename(dir, old);
    try {
      await rename(tmp, dir);
    } catch (e) {
      if (hadOld) await rename(old, dir);
      throw e;
    }
    if (hadOld) await rm(old, { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}
