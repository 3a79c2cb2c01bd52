import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { countBuild } from './buildStats.ts';
import { withDirLock } from './dirLock.ts';
import { buildRoot } from './paths.ts';
import { renderHarness } from './renderHarness.ts';
import { requireTool } from './requireTool.ts';
import { runProcess, tail } from './runProcess.ts';
import { SimError } from './simError.ts';
import type { BuildOptions, BuiltSimulator, SimDesign } from './types.ts';
import { validateDesign } from './validateDesign.ts';

const BUILD_TIMEOUT_MS = 15 * 60_000;

/** Fixed Verilator flags (see shared tooling notes for why each is here). */
export function verilatorFlags(): string[] {
  return [
    '--cc', '--exe', '--build', '-j', '2',
    '-Wall', '--x-assign', 'fast', '--x-initial', 'fast', '-O3', '--trace',
    // Debian's verilated.mk defaults to -Os; -CFLAGS cannot override it, this can.
    '-MAKEFLAGS', 'OPT_FAST=-O2 OPT_GLOBAL=-O2',
  ];
}

function hashKey(parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(String(Buffer.byteLength(p)));
    h.update(':');
    h.update(p);
  }
  return h.digest('hex');
}

function defaultLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Verilates and compiles a design with the co-simulation harness, or reuses
 * the cached build under build/sim/<top>-<hash>/ when nothing changed.
 */
export async function buildSimulator(design: SimDesign, opts: BuildOptions = {}): Promise<BuiltSimulator> {
  validateDesign(design);
  const version = requireTool('verilator');
  const harness = renderHarness(design);
  const extra = opts.extraVerilatorArgs ?? [];
  const flags = [...verilatorFlags(), ...extra];
  const hash = hashKey([
    design.top,
    String(design.inWidth),
    String(design.outWidth),
    ...design.sources.flatMap((s) => [s.name, s.text]),
    harness,
    version,
    flags.join('\u0000'),
  ]);
  const log = opts.log ?? defaultLog;
  const root = path.join(buildRoot(opts.buildDir), 'sim');
  const name = `${design.top}-${hash.slice(0, 16)}`;
  const dir = path.join(root, name);
  const binaryName = `pikehdl_sim_${design.top}`;
  const built = (cacheHit: boolean): BuiltSimulator => ({
    top: design.top,
    inWidth: design.inWidth,
    outWidth: design.outWidth,
    hash,
    dir,
    binaryPath: path.join(dir, 'obj', binaryName),
    cacheHit,
  });
  const manifest = path.join(dir, 'manifest.json');
  const hit = (): BuiltSimulator => {
    countBuild('hit');
    log(`pikehdl sim: cache hit ${design.top} ${hash.slice(0, 8)}`);
    return built(true);
  };
  if (existsSync(manifest)) return hit();

  await mkdir(root, { recursive: true });
  return withDirLock(path.join(root, `${name}.lock`), async () => {
    if (existsSync(manifest)) return hit();
    const started = Date.now();
    const tmp = path.join(root, `.tmp-${name}-${process.pid}-${started}`);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(path.join(tmp, 'src'), { recursive: true });
    for (const s of design.sources) await writeFile(path.join(tmp, 'src', s.name), s.text);
    await writeFile(path.join(tmp, 'harness.cpp'), harness);
    const verilogFiles = design.sources
      .filter((s) => /\.s?v$/.test(s.name))
      .map((s) => path.join('src', s.name));
    const args = [
      ...flags,
      '--top-module', design.top,
      '-Mdir', 'obj',
      '-o', binaryName,
      '-Isrc',
      ...verilogFiles,
      'harness.cpp',
    ];
    const env: NodeJS.ProcessEnv = { ...process.env };
    const ccacheDir = path.join(buildRoot(opts.buildDir), 'ccache');
    if (hasCcache()) {
      env.OBJCACHE = 'ccache';
      env.CCACHE_DIR = ccacheDir;
      // Builds happen in temporary directories: hash paths relative to the build root.
      env.CCACHE_BASEDIR = buildRoot(opts.buildDir);
    }
    const outcome = await runProcess('verilator', args, { cwd: tmp, env, timeoutMs: BUILD_TIMEOUT_MS });
    if (outcome.code !== 0) {
      await writeFile(path.join(tmp, 'build.log'), outcome.output);
      throw new SimError(
        `Verilator build of design ${design.top} failed ` +
          `(${outcome.signal ? `signal ${outcome.signal}` : `exit code ${String(outcome.code)}`}); ` +
          `log kept in ${path.relative(process.cwd(), tmp)}/build.log; last lines:\n${tail(outcome.output)}`,
        'build',
      );
    }
    const seconds = (Date.now() - started) / 1000;
    await writeFile(path.join(tmp, 'build.log'), outcome.output);
    // Only the binary and the generated C++ (for debugging) are kept; ccache has the objects.
    for (const f of await readdir(path.join(tmp, 'obj'))) {
      if (/\.(o|a|d)$/.test(f)) await rm(path.join(tmp, 'obj', f), { force: true });
    }
    await writeFile(
      path.join(tmp, 'manifest.json'),
      JSON.stringify(
        {
          top: design.top,
          inWidth: design.inWidth,
          outWidth: design.outWidth,
          hash,
          verilator: version,
          flags,
          sources: design.sources.map((s) => s.name),
          buildSeconds: seconds,
        },
        null,
        2,
      ),
    );
    // A directory without a manifest is debris of an interrupted build: replace it.
    if (existsSync(dir) && !existsSync(manifest)) await rm(dir, { recursive: true, force: true });
    try {
      await rename(tmp, dir);
    } catch (e) {
      // Another builder (without our lock, e.g. a different build root view) won: keep theirs.
      await rm(tmp, { recursive: true, force: true });
      if (!existsSync(manifest)) throw e;
    }
    countBuild('build');
    log(`pikehdl sim: built ${design.top} ${hash.slice(0, 8)} in ${seconds.toFixed(1)} s`);
    return built(false);
  });
}

let ccache: boolean | undefined;
function hasCcache(): boolean {
  if (ccache === undefined) {
    const dirs = (process.env.PATH ?? '').split(path.delimiter);
    ccache = dirs.some((d) => d !== '' && existsSync(path.join(d, 'ccache')));
  }
  return ccache;
}
