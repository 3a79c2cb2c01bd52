/**
 * Reading and writing model files. Writes are atomic (a temp file in the same
 * directory, then rename), so a crash never leaves half a model behind.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ModelError } from './formatIssues.ts';
import { checkFileSize } from './limits.ts';
import { describeFsError, writeOutputFile } from '../output/index.ts';

/**
 * Reads a UTF-8 text file, refusing anything but a regular file (reading
 * /dev/zero or a pipe would never end) and anything above the size limit,
 * before reading it.
 */
export function readTextFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new ModelError(path, [`cannot read: ${describeFsError(err).text}`]);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new ModelError(path, ['cannot read: is a folder, not a file']);
    if (!st.isFile()) throw new ModelError(path, ['cannot read: not a regular file (a device, pipe or socket)']);
    checkFileSize(st.size, path);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString('utf8');
  } catch (err) {
    if (err instanceof Error && !('code' in err)) throw err;
    throw new ModelError(path, [`cannot read: ${describeFsError(err).text}`]);
  } finally {
    closeSync(fd);
  }
}

/** Writes a file by the output rules (src/output): atomic, never over a symlink or device. */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  writeOutputFile(path, text);
}

/** Deterministic JSON: two-space indent, arrays of numbers on one line so
 *  weight tensors stay readable in diffs. */
export function stringifyModel(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return `${text.replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_m, body: string) => `[${body.replace(/,\s+/g, ', ')}]`)}\n`;
}
