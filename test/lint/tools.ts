// The lint gate's external tools: found on PATH or the test fails with the
// command that installs them. Never skipped.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const INSTALL: Readonly<Record<string, string>> = {
  verilator: 'apt-get install -y verilator',
  iverilog: 'apt-get install -y iverilog',
  yosys: 'apt-get install -y yosys',
};

export type LintTool = 'verilator' | 'iverilog' | 'yosys';

const versions = new Map<LintTool, string>();

/** Throws "<tool> not found on PATH: install it with ..." when missing. */
export function requireLintTool(tool: LintTool): string {
  const known = versions.get(tool);
  if (known !== undefined) return known;
  const r = spawnSync(tool, [tool === 'verilator' ? '--version' : '-V'], { encoding: 'utf8' });
  if (r.error !== undefined) {
    throw new Error(`${tool} not found on PATH: the lint gate needs it; install it with \`${INSTALL[tool]}\` (see .ci/run)`);
  }
  const version = `${r.stdout}${r.stderr}`.split('\n')[0]!.trim();
  versions.set(tool, version);
  return version;
}

export interface ToolRun {
  code: number | null;
  output: string;
}

export function run(cmd: string, args: readonly string[], cwd: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** Runs the jobs with at most `limit` in flight (the machine has 2 shared cores). */
export async function pool<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/**
 * Runs one tool on a design's files (in `dir`); returns undefined when it
 * exits 0 and prints nothing, else the failure with the tool's output. Any
 * output fails: Icarus prints warnings but still exits 0.
 */
export async function lintCheck(tool: LintTool, top: string, files: readonly string[], dir: string): Promise<string | undefined> {
  requireLintTool(tool);
  let r: ToolRun;
  if (tool === 'verilator') {
    r = await run('verilator', ['--lint-only', '-Wall', '--top-module', top, ...files], dir);
  } else if (tool === 'iverilog') {
    r = await run('iverilog', ['-g2005', '-Wall', '-o', path.join(dir, 'a.out'), '-s', top, ...files], dir);
  } else {
    // Yosys resolves $readmemh relative to its working directory: the design's.
    const script = `read_verilog ${files.join(' ')}; hierarchy -check -top ${top}; proc; check -assert`;
    r = await run('yosys', ['-q', '-p', script], dir);
  }
  if (r.code === 0 && r.output.trim() === '') return undefined;
  return `${tool} on ${top} (exit ${String(r.code)}):\n${r.output.trim()}`;
}
