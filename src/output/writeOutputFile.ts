/**
 * The output rules for single files (quantize --out, report --out, ...): a
 * regular file is replaced atomically (a hidden temporary in the same folder,
 * synced, then renamed over it), so a failure, a full disk included, leaves
 * the old file whole. A symbolic link, a folder, a device, a pipe or a socket
 * at the path is never replaced: `--out /dev/null` as root must not turn the
 * device into a plain file.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { OutputError, fsFailure } from './outputError.ts';
import { outputFs, writeNewFile } from './outputFs.ts';
import { protectedReason } from './ownership.ts';
import { selfTag } from './processIdentity.ts';
import { removeDebris } from './writeOutputDir.ts';

/** True when two paths name one existing file (the same device and inode: links and `./` spellings included). */
export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/** Checks that `target` may be written as a file; throws OutputError naming it when not. */
export function checkOutputFile(target: string): void {
  const abs = path.resolve(target);
  const f = outputFs();
  const prot = protectedReason(abs);
  if (prot !== null) throw new OutputError(target, `refusing to write a file here: it ${prot}`);
  let st;
  try {
    st = f.lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsFailure(target, 'inspect the output path', e);
    try {
      if (!f.lstatSync(path.dirname(abs)).isDirectory()) throw new OutputError(target, `cannot write: ${path.dirname(target)} is not a folder`);
    } catch (e2) {
      if (e2 instanceof OutputError) throw e2;
      throw new OutputError(target, `cannot write: the folder ${path.dirname(target) || '.'} does not exist`, 'ENOENT');
    }
    return;
  }
  if (st.isSymbolicLink()) throw new OutputError(target, 'is a symbolic link: pikehdl never replaces one; write to the file it points to, or choose another path');
  if (st.isDirectory()) throw new OutputError(target, 'is a folder: refusing to replace it with a file; name a file inside it');
  if (!st.isFile()) throw new OutputError(target, 'is not a regular file (a device, pipe or socket): pikehdl never replaces one; leave out --out to print to stdout');
}

/** Writes `data` to `target` by the file rules. */
export function writeOutputFile(target: string, data: string | Uint8Array): void {
  checkOutputFile(target);
  const abs = path.resolve(target);
  const f = outputFs();
  let mode = 0o666;
  try {
    mode = f.lstatSync(abs).mode & 0o777;
  } catch {
    // New file: the default mode, less the umask.
  }
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.tmp-${selfTag()}-${randomBytes(4).toString('hex')}`);
  try {
    writeNewFile(f, tmp, data, mode);
    checkOutputFile(target);
    f.renameSync(tmp, abs);
    // Temporaries of earlier writers that were killed part-way.
    removeDebris(f, path.dirname(abs), path.basename(abs));
  } catch (e) {
    try {
      f.rmSync(tmp, { force: true });
    } catch {
      // The temporary is hidden; nothing else to do.
    }
    throw fsFailure(target, 'write', e);
  }
}
