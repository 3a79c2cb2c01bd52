import { execFileSync } from 'node:child_process';
import { SimError } from './simError.ts';

const INSTALL_HINT: Readonly<Record<string, string>> = {
  verilator: 'apt-get install verilator',
  iverilog: 'apt-get install iverilog',
  vvp: 'apt-get install iverilog',
};

const versions = new Map<string, string>();

/**
 * Returns the tool's version line, or throws the documented "not found on
 * PATH" error. Never skips silently: a missing simulator is a failure.
 */
export function requireTool(tool: 'verilator' | 'iverilog' | 'vvp', searchPath?: string): string {
  const cached = searchPath === undefined ? versions.get(tool) : undefined;
  if (cached !== undefined) return cached;
  const args = tool === 'verilator' ? ['--version'] : ['-V'];
  let out: string;
  try {
    out = execFileSync(tool, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: searchPath === undefined ? process.env : { ...process.env, PATH: searchPath },
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string };
    if (err.code === 'ENOENT') {
      throw new SimError(
        `${tool} not found on PATH; install it with ${INSTALL_HINT[tool]} (see README)`,
        'tool-missing',
      );
    }
    // iverilog -V exits non-zero without input files but still prints its version.
    out = typeof err.stdout === 'string' ? err.stdout : '';
  }
  const line = (out.split('\n')[0] ?? '').trim();
  if (searchPath === undefined) versions.set(tool, line);
  return line;
}
