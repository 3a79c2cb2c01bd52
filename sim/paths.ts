import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { SimError } from './simError.ts';

/** Repository root, found from this file's location (sim/ sits directly under it). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const TEMPLATES_DIR = path.join(REPO_ROOT, 'templates');

/**
 * Root for build products: option, then env PIKEHDL_BUILD_DIR, then <repo>/build.
 * An empty value is refused, not taken as the current folder (path.resolve('')
 * would put simulator builds into the source tree).
 */
export function buildRoot(override?: string): string {
  if (override !== undefined && override.trim() === '') throw new SimError('the build folder option is empty: name a folder', 'environment');
  const env = process.env.PIKEHDL_BUILD_DIR;
  if (env !== undefined && env.trim() === '') {
    throw new SimError('PIKEHDL_BUILD_DIR is set but empty: unset it (builds then go to build/) or name a folder', 'environment');
  }
  return path.resolve(override ?? env ?? path.join(REPO_ROOT, 'build'));
}
