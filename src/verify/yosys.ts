/**
 * Running Yosys on generated text: the files go into a fresh folder under
 * build/verify/yosys/, the script is a file there, and the verdict is read
 * from the log. A missing Yosys is a one-line VerifyError.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildRoot } from '../../sim/paths.ts';
import { runProcess } from '../../sim/runProcess.ts';
import { VerifyError } from './verifyError.ts';

let version: string | undefined;

/** The Yosys version line; throws a VerifyError when yosys is not on PATH. */
export function requireYosys(searchPath?: string): string {
  if (version !== undefined && searchPath === undefined) return version;
  try {
    const out = execFileSync('yosys', ['-V'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: searchPath === undefined ? process.env : { ...process.env, PATH: searchPath },
    });
    const v = out.trim().split('\n')[0] ?? '';
    if (searchPath === undefined) version = v;
    return v;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VerifyError('yosys not found on PATH; install it with apt-get install yosys (see README)');
    }
    throw e;
  }
}

let abcChecked = false;

/** Throws a VerifyError when yosys-abc (Yosys's ABC, which the PDR step runs) is not on PATH. */
export function requireYosysAbc(searchPath?: string): void {
  if (abcChecked && searchPath === undefined) return;
  try {
    execFileSync('yosys-abc', ['-q', 'quit'], { stdio: 'ignore', env: searchPath === undefined ? process.env : { ...process.env, PATH: searchPath } });
    if (searchPath === undefined) abcChecked = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VerifyError('yosys-abc not found on PATH; it ships with Yosys: install it with apt-get install yosys (see README)');
    }
    throw e;
  }
}

export interface ToolRun {
  /** Exit code 0. */
  readonly ok: boolean;
  readonly log: string;
  readonly ms: number;
  /** Killed by the timeout. */
  readonly timedOut: boolean;
}

export type YosysRun = ToolRun;

let serial = 0;

/** Writes `files` and `script` into a fresh folder, runs `yosys -s`, and removes the folder. */
export async function runYosys(files: readonly { name: string; text: string }[], script: string, timeoutMs = 300_000): Promise<YosysRun> {
  return (await runYosysThen(files, script, timeoutMs)).yosys;
}

/** A second tool run in Yosys's folder after it succeeded (e.g. yosys-abc on the AIGER file Yosys wrote). */
export interface ThenRun {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
}

/**
 * runYosys, then (when Yosys succeeded) `then` in the same folder, before the
 * folder is removed. A missing second tool is a one-line VerifyError.
 */
export async function runYosysThen(
  files: readonly { name: string; text: string }[],
  script: string,
  timeoutMs: number,
  then?: ThenRun,
): Promise<{ readonly yosys: ToolRun; readonly then?: ToolRun }> {
  requireYosys();
  const dir = path.join(buildRoot(), 'verify', 'yosys', `${process.pid}-${serial++}`);
  await mkdir(dir, { recursive: true });
  try {
    for (const f of files) await writeFile(path.join(dir, f.name), f.text);
    await writeFile(path.join(dir, 'run.ys'), script);
    const t0 = Date.now();
    const r = await runProcess('yosys', ['-q', '-l', 'yosys.log', '-s', 'run.ys'], { cwd: dir, timeoutMs });
    const log = await readFile(path.join(dir, 'yosys.log'), 'utf8').catch(() => r.output);
    const yosys: ToolRun = { ok: r.code === 0, log: `${log}\n${r.output}`, ms: Date.now() - t0, timedOut: r.signal === 'SIGKILL' };
    if (!yosys.ok || then === undefined) return { yosys };
    const t1 = Date.now();
    let t;
    try {
      t = await runProcess(then.cmd, [...then.args], { cwd: dir, timeoutMs: then.timeoutMs });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new VerifyError(`${then.cmd} not found on PATH; it ships with Yosys: install it with apt-get install yosys (see README)`);
      throw e;
    }
    return { yosys, then: { ok: t.code === 0, log: t.output, ms: Date.now() - t1, timedOut: t.signal === 'SIGKILL' } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
