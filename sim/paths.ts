import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root, found from this file's location (sim/ sits directly under it). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const TEMPLATES_DIR = path.join(REPO_ROOT, 'templates');

/** Root for build products: option, then env PIKEHDL_BUILD_DIR, then <repo>/build. */
export function buildRoot(override?: string): string {
  return path.resolve(override ?? process.env.PIKEHDL_BUILD_DIR ?? path.join(REPO_ROOT, 'build'));
}
