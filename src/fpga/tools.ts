/**
 * The external tools of the flow. A missing tool is an error that names it
 * and the Debian package to install; it is never skipped.
 */
import { spawn } from 'node:child_process';
import { FpgaError } from './fpgaError.ts';

export const FPGA_TOOLS = {
  yosys: { pkg: 'yosys', versionArgs: ['-V'] },
  'nextpnr-ice40': { pkg: 'nextpnr-ice40', versionArgs: ['--version'] },
  icepack: { pkg: 'fpga-icestorm', versionArgs: ['-h'] },
} as const;
export type FpgaTool = keyof typeof FPGA_TOOLS;

export function installHint(tool: FpgaTool): string {
  return `${tool} not found on PATH: install it with apt-get install ${FPGA_TOOLS[tool].pkg}`;
}

export interface ToolRun {
  readonly code: number | null;
  readonly output: string;
  readonly ms: number;
}

/** Runs a tool to completion in `cwd`; ENOENT becomes the install hint. */
export function runTool(argv: readonly string[], cwd: string, opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ToolRun> {
  const [cmd, ...args] = argv;
  const tool = cmd as FpgaTool;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, args, { cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' && tool in FPGA_TOOLS ? new FpgaError(installHint(tool)) : e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started });
    });
  });
}

/** The tool's first version line; throws the install hint when it is missing. */
export async function requireFpgaTool(tool: FpgaTool, env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await runTool([tool, ...FPGA_TOOLS[tool].versionArgs], process.cwd(), { timeoutMs: 20_000, ...(env === undefined ? {} : { env }) });
  return (r.output.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}
