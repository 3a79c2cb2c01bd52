// Runs commander commands in-process and returns what they wrote to stdout:
// the CLI tests register only the commands they exercise, so a thrown
// CliError reaches the test instead of the error boundary's exit code.
import { Command } from 'commander';
import { vi } from 'vitest';

export type Register = (program: Command) => void;

export async function captureCli(register: readonly Register[], args: readonly string[]): Promise<string> {
  const program = new Command().exitOverride();
  for (const r of register) r(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'pikehdl', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}
