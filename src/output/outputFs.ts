/**
 * The filesystem calls the output rules make, behind one replaceable object,
 * so tests can inject faults (ENOSPC after N bytes, EIO on rename) that a
 * real disk gives only rarely. Production code always uses node:fs.
 */
import * as fs from 'node:fs';

export interface OutputFs {
  lstatSync(p: string): fs.Stats;
  readdirSync(p: string): string[];
  readFileSync(p: string, enc: 'utf8'): string;
  mkdirSync(p: string, opts?: { recursive?: boolean; mode?: number }): unknown;
  openSync(p: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Uint8Array): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(p: string, opts: { recursive?: boolean; force?: boolean }): void;
  chmodSync(p: string, mode: number): void;
}

const nodeFs: OutputFs = {
  lstatSync: (p) => fs.lstatSync(p),
  readdirSync: (p) => fs.readdirSync(p),
  readFileSync: (p, enc) => fs.readFileSync(p, enc),
  mkdirSync: (p, opts) => fs.mkdirSync(p, opts),
  openSync: (p, flags, mode) => fs.openSync(p, flags, mode),
  writeSync: (fd, data) => fs.writeSync(fd, data),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (a, b) => fs.renameSync(a, b),
  rmSync: (p, opts) => fs.rmSync(p, opts),
  chmodSync: (p, mode) => fs.chmodSync(p, mode),
};

let current: OutputFs = nodeFs;

export function outputFs(): OutputFs {
  return current;
}

/** Test hook: run `fn` with `replacement` as the filesystem of the output rules. */
export async function withOutputFs<T>(replacement: OutputFs, fn: () => Promise<T>): Promise<T> {
  const saved = current;
  current = replacement;
  try {
    return await fn();
  } finally {
    current = saved;
  }
}

/** node:fs itself (for fault injectors that wrap it). */
export const NODE_OUTPUT_FS: OutputFs = nodeFs;

/** Writes all of `data` to a new file (exclusive create) and syncs it. */
export function writeNewFile(f: OutputFs, p: string, data: string | Uint8Array, mode = 0o666): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = f.openSync(p, 'wx', mode);
  try {
    let off = 0;
    while (off < bytes.length) off += f.writeSync(fd, bytes.subarray(off));
    f.fsyncSync(fd);
  } finally {
    f.closeSync(fd);
  }
}
