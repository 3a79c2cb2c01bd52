/**
 * Which folders pikehdl may replace: its own outputs, recognised by a
 * manifest.json whose "generatedBy" starts with "pikehdl", or a folder that
 * holds only such folders (the root of `pikehdl gen` output written before
 * the root had a manifest of its own).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { outputFs } from './outputFs.ts';

export const MANIFEST_NAME = 'manifest.json';
export const GENERATED_BY_PREFIX = 'pikehdl';

/** The repository root (src/output sits two levels below it). */
const REPO_ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function hasPikehdlManifest(dir: string): boolean {
  try {
    const m = JSON.parse(outputFs().readFileSync(path.join(dir, MANIFEST_NAME), 'utf8')) as unknown;
    if (typeof m !== 'object' || m === null) return false;
    const by = (m as { generatedBy?: unknown }).generatedBy;
    return typeof by === 'string' && by.startsWith(GENERATED_BY_PREFIX);
  } catch {
    return false;
  }
}

/** A folder pikehdl wrote (depth: how far down to accept folders of pikehdl folders). */
export function isPikehdlOutput(dir: string, depth = 1): boolean {
  if (hasPikehdlManifest(dir)) return true;
  if (depth <= 0) return false;
  const f = outputFs();
  let names: string[];
  try {
    names = f.readdirSync(dir);
  } catch {
    return false;
  }
  if (names.length === 0) return false;
  return names.every((n) => {
    const p = path.join(dir, n);
    try {
      return f.lstatSync(p).isDirectory() && isPikehdlOutput(p, depth - 1);
    } catch {
      return false;
    }
  });
}

/**
 * Paths no output may replace, --force or not: the filesystem root, the home
 * folder, the repository, the current folder and every folder above it.
 * Returns the reason, or null.
 */
export function protectedReason(absTarget: string): string | null {
  const cwd = path.resolve(process.cwd());
  if (absTarget === path.parse(absTarget).root) return 'is the filesystem root';
  if (absTarget === path.resolve(os.homedir())) return 'is the home folder';
  if (absTarget === REPO_ROOT) return 'is the pikehdl repository';
  if (absTarget === cwd) return 'is the current folder';
  if (cwd.startsWith(absTarget + path.sep)) return 'contains the current folder';
  return null;
}
