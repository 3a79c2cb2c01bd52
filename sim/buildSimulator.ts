import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { selfTag, tagIsDead } from '../src/output/processIdentity.ts';
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

/**
 * Verilog above this many bytes is a large design (the full-size accelerator:
 * 180-210 kB at 16 lanes): its model is split into several C++ files so that
 * both make jobs have work (otherwise one 1 MB file compiles alone).
 */
export const LARGE_DESIGN_BYTES = 64 * 1024;

export interface VerilatorFlagOptions {
  /** Build with --trace (VCD dumps possible). Default false. */
  readonly trace?: boolean;
  /** A large design (LARGE_DESIGN_BYTES): split its C++ output. Default false. */
  readonly large?: boolean;
}

/**
 * Verilator flags, all of them in this one place (they are part of the build
 * cache key). Measured on the shared 2-core machine (docs/performance.md,
 * "Verilator build flags"): --trace costs a third of the generated C++ (the tracing
 * functions) and verilated_vcd_c.cpp, so builds are untraced unless a waveform
 * is asked for (rerunWithTrace builds the traced twin); -O2 over -O1 costs
 * compile time but runs the accelerator faster, which pays from the first
 * full-size inference.
 */
export function verilatorFlags(opts: VerilatorFlagOptions = {}): string[] {
  return [
    '--cc', '--exe', '--build', '-j', '2',
    // --x-initial unique: a register without a reset starts from the value the harness's
    // +verilator+rand+reset+2 draws (startSimulator.ts), not from 0, so a design that reads a
    // register before writing it fails every test, not only mutation testing's random launches.
    '-Wall', '--x-assign', 'fast', '--x-initial', 'unique', '-O3',
    ...(opts.trace === true ? ['--trace'] : []),
    ...(opts.large === true ? ['--output-split', '5000'] : []),
    // Debian's verilated.mk defaults to -Os; -CFLAGS cannot override it, this can. OPT_FAST
    // compiles the model's evaluation and the harness; OPT_GLOBAL only Verilator's run-time
    // library (verilated.cpp, verilated_threads.cpp). The evaluation calls one function of it
    // per eval (Verilated::endOfEval): noise beside a large design's microseconds per cycle,
    // so a large design builds the library unoptimised (about 1.7 s less CPU cold: verilated.cpp
    // took 4.2 s at -O2 and 2.7 s at -O0, verilated_threads.cpp 1.15 and 0.9 s); a small design, whose cycles take 0.1-0.2 us, keeps
    // -O2 (and its builds share the library through ccache anyway).
    '-MAKEFLAGS', `OPT_FAST=-O2 OPT_GLOBAL=${opts.large === true ? '-O0' : '-O2'}`,
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

function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Checksums already verified in this process, by path, size and mtime. */
const verified = new Map<string, string>();

/**
 * Why a cached build cannot be used (its binary is missing, not a file, or
 * not the one the manifest recorded), or null when it is sound. A build is a
 * hit only when its binary is intact: a truncated or deleted binary is rebuilt.
 */
export function cacheDamage(dir: string, binaryPath: string): string | null {
  let recorded: unknown;
  try {
    recorded = (JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { binarySha256?: unknown }).binarySha256;
  } catch {
    return 'its manifest is unreadable';
  }
  if (typeof recorded !== 'string') return 'its manifest records no binary checksum (an older cache)';
  let st;
  try {
    st = statSync(binaryPath);
  } catch {
    return 'its binary is missing';
  }
  if (!st.isFile()) return 'its binary is not a regular file';
  const key = `${binaryPath}\0${st.size}\0${st.mtimeMs}`;
  if (verified.get(key) === recorded) return null;
  const actual = sha256File(binaryPath);
  if (actual !== recorded) return `its binary's checksum ${actual.slice(0, 12)} differs from the recorded ${recorded.slice(0, 12)} (damaged)`;
  verified.set(key, actual);
  return null;
}

/**
 * Removes build temporaries (`.tmp-*`) left by builders that no longer run
 * (killed, or crashed): their process, identified by PID and start time, is
 * gone. A live builder's temporary is left alone.
 */
export async function removeBuildDebris(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    // New names: .tmp-<pid>-<start>-<rand>-<design>; older ones: .tmp-<design>-<pid>-<ms>.
    const m = /^\.tmp-(\d+)-(\d+)-[0-9a-f]{8}-/.exec(n) ?? /^\.tmp-.+-(\d+)-(\d+)$/.exec(n);
    if (m !== null && tagIsDead(`${m[1]}-${m[2]}`)) {
      await rm(path.join(root, n), { recursive: true, force: true });
      removed.push(n);
    }
  }
  return removed;
}

/**
 * Verilates and compiles a design with the co-simulation harness, or reuses
 * the cached build under build/sim/<top>-<hash>/ when nothing changed.
 */
export async function buildSimulator(design: SimDesign, opts: BuildOptions = {}): Promise<BuiltSimulator> {
  validateDesign(design);
  const version = requireTool('verilator');
  const harness = opts.harness ?? renderHarness(design);
  const extra = opts.extraVerilatorArgs ?? [];
  const trace = opts.trace === true;
  const large = design.sources.reduce((n, s) => n + Buffer.byteLength(s.text), 0) > LARGE_DESIGN_BYTES;
  const flags = [...verilatorFlags({ trace, large }), ...extra];
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
    // The traced twin: same design, harness and options, with --trace (its own cache entry).
    ...(trace ? {} : { withTrace: () => buildSimulator(design, { ...opts, harness, trace: true }) }),
  });
  const manifest = path.join(dir, 'manifest.json');
  const hit = (): BuiltSimulator => {
    countBuild('hit');
    log(`pikehdl sim: cache hit ${design.top} ${hash.slice(0, 8)}`);
    return built(true);
  };
  const binaryPath = path.join(dir, 'obj', binaryName);
  if (existsSync(manifest) && cacheDamage(dir, binaryPath) === null) return hit();

  await mkdir(root, { recursive: true });
  return withDirLock(path.join(root, `${name}.lock`), async () => {
    if (existsSync(manifest)) {
      const damage = cacheDamage(dir, binaryPath);
      if (damage === null) return hit();
      log(`pikehdl sim: cached build ${design.top} ${hash.slice(0, 8)} is unusable (${damage}): rebuilding`);
      await rm(dir, { recursive: true, force: true });
    }
    for (const n of await removeBuildDebris(root)) log(`pikehdl sim: removed ${n}, left by a build that no longer runs`);
    const started = Date.now();
    const tmp = path.join(root, `.tmp-${selfTag()}-${randomBytes(4).toString('hex')}-${name}`);
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
      // Keep the log beside the cache, not the temporary (which would be debris).
      const logFile = path.join(root, `${name}.failed.log`);
      await writeFile(logFile, outcome.output);
      await rm(tmp, { recursive: true, force: true });
      throw new SimError(
        `Verilator build of design ${design.top} failed ` +
          `(${outcome.signal ? `signal ${outcome.signal}` : `exit code ${String(outcome.code)}`}); ` +
          `log kept in ${path.relative(process.cwd(), logFile)}; last lines:\n${tail(outcome.output)}`,
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
          binarySha256: sha256File(path.join(tmp, 'obj', binaryName)),
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
