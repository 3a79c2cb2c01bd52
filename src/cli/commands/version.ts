import { readFileSync } from 'node:fs';
import type { Command } from 'commander';

// pikehdl --version: the version in package.json (read at run time, so it cannot drift).
export function registerVersion(program: Command): void {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  program.version(typeof pkg.version === 'string' ? pkg.version : '0.0.0', '-V, --version', 'print the pikehdl version');
}
