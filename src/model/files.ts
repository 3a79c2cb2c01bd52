/**
 * Reading and writing model files. Writes are atomic (a temp file in the same
 * directory, then rename), so a crash never leaves half a model behind.
 */
import { readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { ModelError } from './formatIssues.ts';

export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ModelError(path, [`cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
}

export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new ModelError(path, [`cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
}

/** Deterministic JSON: two-space indent, arrays of numbers on one line so
 *  weight tensors stay readable in diffs. */
export function stringifyModel(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return `${text.replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_m, body: string) => `[${body.replace(/,\s+/g, ', ')}]`)}\n`;
}
