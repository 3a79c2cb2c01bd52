// Runs the CLI in-process (src/cli/program.ts's runCli) and collects what it
// prints: the fault suite calls it thousands of times, far faster than a
// process per case. `oneLineError` is the contract every refusal must meet.
import { runCli } from '../../src/cli/program.ts';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false });
  return { code, stdout, stderr };
}

/** Why a result is not "exit 0" or "exit 2 with one line naming `file`", or null when it is one of those. */
export function contractBreach(r: CliResult, file: string): string | null {
  if (r.code === 0) return null;
  if (r.code !== 2) return `exit ${r.code}: ${r.stderr.slice(0, 2000)}`;
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  if (lines.length !== 1) return `exit 2 with ${lines.length} lines: ${r.stderr.slice(0, 2000)}`;
  if (!lines[0]!.includes(file)) return `exit 2 without naming ${file}: ${lines[0]}`;
  if (/\n\s+at /.test(r.stderr)) return `a stack trace: ${r.stderr.slice(0, 2000)}`;
  return null;
}
