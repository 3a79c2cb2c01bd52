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

/** Deterministic JSON: two-space indent, arrays of finite numbers on one line so
 *  weight tensors stay readable in diffs. The same text as JSON.stringify(value,
 *  null, 2) with those arrays joined, built without a regular expression over
 *  the whole text (which overflowed the stack on ResNet-18's 11.7 M weights). */
export function stringifyModel(value: unknown): string {
  const parts: string[] = [];
  emitJson(value, '', parts);
  parts.push('\n');
  return parts.join('');
}

function emitJson(v: unknown, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push('[]');
      return;
    }
    if (v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      out.push('[', v.map((x: number) => JSON.stringify(x)).join(', '), ']');
      return;
    }
    const inner = `${indent}  `;
    out.push('[');
    v.forEach((x, i) => {
      out.push(i === 0 ? '\n' : ',\n', inner);
      // As JSON.stringify: an unrepresentable array element is null.
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') out.push('null');
      else emitJson(x, inner, out);
    });
    out.push('\n', indent, ']');
    return;
  }
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol');
    if (entries.length === 0) {
      out.push('{}');
      return;
    }
    const inner = `${indent}  `;
    out.push('{');
    entries.forEach(([k, x], i) => {
      out.push(i === 0 ? '\n' : ',\n', inner, JSON.stringify(k), ': ');
      emitJson(x, inner, out);
    });
    out.push('\n', indent, '}');
    return;
  }
  out.push(JSON.stringify(v, null, 2) ?? 'null');
}
