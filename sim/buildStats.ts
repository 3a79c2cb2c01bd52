import type { BuildStats } from './types.ts';

const stats: BuildStats = { hits: 0, builds: 0 };

/** Builds and cache hits of buildSimulator in this process (a copy). */
export function buildStats(): BuildStats {
  return { ...stats };
}

export function countBuild(kind: 'hit' | 'build'): void {
  if (kind === 'hit') stats.hits++;
  else stats.builds++;
}
