// The simulator build cache under faults (issue 8, finding 5): a cached build
// whose binary is missing or damaged is rebuilt, not taken as a hit; build
// temporaries of dead builders are removed; an empty PIKEHDL_BUILD_DIR is
// refused instead of building into the source tree. One small design,
// built twice (ccache serves the compiles).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, truncateSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cacheDamage, removeBuildDebris } from '../../sim/buildSimulator.ts';
import { selfTag } from '../../src/output/index.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSimulator } from '../../sim/index.ts';
import { buildRoot } from '../../sim/paths.ts';
import { SimError } from '../../sim/simError.ts';
import { fixtureDesign } from './helpers.ts';

const logs: string[] = [];
const log = (l: string): void => void logs.push(l);
const base = fixtureDesign('adder_skid1', 16, 9);
// A nonce in a comment: a cache entry of its own, the same C++ for ccache.
const design = { ...base, sources: [{ ...base.sources[0]!, text: `// cache-safety ${process.pid}-${Date.now()}\n${base.sources[0]!.text}` }] };
let dir = '';
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('build cache safety', () => {
  it('rebuilds a cached build whose binary is damaged or missing, and removes dead builders\' temporaries', async () => {
    const first = await buildSimulator(design, { log });
    dir = first.dir;
    expect(first.cacheHit).toBe(false);
    expect((await buildSimulator(design, { log })).cacheHit).toBe(true);

    truncateSync(first.binaryPath, 100);
    const repaired = await buildSimulator(design, { log });
    expect(repaired.cacheHit).toBe(false);
    expect(logs.some((l) => l.includes('is unusable (its binary\'s checksum') && l.endsWith('(damaged)): rebuilding'))).toBe(true);

    expect((await buildSimulator(design, { log })).cacheHit).toBe(true);
    // A missing binary is found the same way (no third build: cacheDamage is what buildSimulator asks).
    unlinkSync(first.binaryPath);
    expect(cacheDamage(first.dir, first.binaryPath)).toBe('its binary is missing');
  });

  it("removes build temporaries of dead builders (PID gone, or PID reused by another process), not a live one's", async () => {
    const simRoot = mkdtempSync(path.join(tmpdir(), 'pikehdl-debris-'));
    try {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      const killed = `.tmp-${dead}-42-deadbeef-top-0123`;
      const reused = `.tmp-${process.pid}-1-cafebabe-top-0123`;
      const older = `.tmp-top-0123-${dead}-1700000000000`;
      const live = `.tmp-${selfTag()}-0badf00d-top-0123`;
      for (const n of [killed, reused, older, live]) mkdirSync(path.join(simRoot, n));
      expect((await removeBuildDebris(simRoot)).sort()).toEqual([killed, reused, older].sort());
      expect(existsSync(path.join(simRoot, live))).toBe(true);
    } finally {
      rmSync(simRoot, { recursive: true, force: true });
    }
  });

  it('refuses an empty PIKEHDL_BUILD_DIR instead of building into the current folder', () => {
    const saved = process.env.PIKEHDL_BUILD_DIR;
    process.env.PIKEHDL_BUILD_DIR = '';
    try {
      expect(() => buildRoot()).toThrow(new SimError('PIKEHDL_BUILD_DIR is set but empty: unset it (builds then go to build/) or name a folder', 'environment'));
    } finally {
      if (saved === undefined) delete process.env.PIKEHDL_BUILD_DIR;
      else process.env.PIKEHDL_BUILD_DIR = saved;
    }
  });
});
