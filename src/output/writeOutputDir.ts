/**
 * The output rules for folders (one place, used by every command that writes
 * one): the target is written only when it is absent, an empty folder, or a
 * folder pikehdl wrote (its manifest says so); anything else is refused
 * naming the path, unless `force` is set. A symbolic link, a device or any
 * other non-regular entry is never replaced, nor the repository, the home
 * folder or a folder holding the current one. The new contents are written
 * into a hidden temporary sibling and swapped in by rename under a lock, so a
 * failure at any point (including a full disk) leaves the old contents as
 * they were and two concurrent writers cannot interleave.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { withDirLock } from './dirLock.ts';
import { OutputError, fsFailure } from './outputError.ts';
import { outputFs, writeNewFile, type OutputFs } from './outputFs.ts';
import { GENERATED_BY_PREFIX, MANIFEST_NAME, hasPikehdlManifest, isPikehdlOutput, protectedReason } from './ownership.ts';
import { selfTag, tagIsDead } from './processIdentity.ts';

export interface OutputOptions {
  /** Replace a folder or regular file that pikehdl did not write. */
  readonly force?: boolean;
}

/** Writes files below one folder; names are relative and checked. */
export interface DirWriter {
  /** The absolute temporary folder (for a tool that must write into it itself). */
  readonly root: string;
  file(rel: string, data: string | Uint8Array, opts?: { executable?: boolean }): void;
  /** A writer for a subfolder (created). */
  dir(rel: string): DirWriter;
}

const SAFE_PART = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

function checkRel(rel: string): string[] {
  const parts = rel.split('/');
  for (const p of parts) {
    if (!SAFE_PART.test(p) || p === '..') throw new Error(`output rules: ${JSON.stringify(rel)} is not a plain relative file name`);
  }
  return parts;
}

/** Errors name the user's output path and the file inside it, never the hidden temporary. */
function dirWriter(f: OutputFs, root: string, shown: string, prefix = ''): DirWriter {
  return {
    root,
    file(rel, data, opts = {}) {
      const parts = checkRel(rel);
      try {
        writeNewFile(f, path.join(root, ...parts), data, opts.executable === true ? 0o777 : 0o666);
      } catch (e) {
        throw fsFailure(shown, `write ${prefix}${rel}`, e);
      }
    },
    dir(rel) {
      const parts = checkRel(rel);
      const p = path.join(root, ...parts);
      try {
        f.mkdirSync(p, { recursive: true });
      } catch (e) {
        throw fsFailure(shown, `create folder ${prefix}${rel}`, e);
      }
      return dirWriter(f, p, shown, `${prefix}${rel}/`);
    },
  };
}

/** What is at `abs` and whether it may be replaced; throws OutputError when not. */
function checkDirTarget(abs: string, shown: string, opts: OutputOptions): 'absent' | 'replace' {
  const prot = protectedReason(abs);
  if (prot !== null) throw new OutputError(shown, `refusing to write here: it ${prot}; choose a new folder for the output`);
  const f = outputFs();
  let st;
  try {
    st = f.lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw fsFailure(shown, 'inspect the output path', e);
  }
  if (st.isSymbolicLink()) throw new OutputError(shown, 'is a symbolic link: pikehdl never replaces one (--force or not); give the real folder or a new path');
  if (st.isDirectory()) {
    let names: string[];
    try {
      names = f.readdirSync(abs);
    } catch (e) {
      throw fsFailure(shown, 'read the folder', e);
    }
    if (names.length === 0 || isPikehdlOutput(abs) || opts.force === true) return 'replace';
    throw new OutputError(
      shown,
      `is a folder pikehdl did not write (no pikehdl ${MANIFEST_NAME}; ${names.length} entr${names.length === 1 ? 'y' : 'ies'}): refusing to replace it; choose a new or empty folder, or pass --force to replace it`,
    );
  }
  if (st.isFile()) {
    if (opts.force === true) return 'replace';
    throw new OutputError(shown, 'is a file, not a folder: refusing to replace it; choose another path, or pass --force to replace it');
  }
  throw new OutputError(shown, 'is not a regular file or folder (a device, pipe or socket): pikehdl never replaces one');
}

/** Checks the target before any expensive work; the same checks run again, under the lock, before the swap. */
export function checkOutputDir(target: string, opts: OutputOptions = {}): void {
  checkDirTarget(path.resolve(target), target, opts);
}

/** Removes hidden temporaries of earlier runs of `base` in `parent` whose process is gone. */
export function removeDebris(f: OutputFs, parent: string, base: string): void {
  let names: string[];
  try {
    names = f.readdirSync(parent);
  } catch {
    return;
  }
  const re = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?:tmp|old)-(\\d+-\\d+)-[0-9a-f]+$`);
  for (const n of names) {
    const m = re.exec(n);
    if (m !== null && tagIsDead(m[1]!)) f.rmSync(path.join(parent, n), { recursive: true, force: true });
  }
}

/**
 * Writes a folder by the output rules. `fill` writes the new contents through
 * the DirWriter; unless it writes a manifest.json itself, a minimal one
 * (`{"generatedBy": "pikehdl", "files": [...]}`) is added so that pikehdl
 * recognises the folder as its own next time. Returns the absolute path.
 */
export async function writeOutputDir(target: string, fill: (w: DirWriter) => Promise<void> | void, opts: OutputOptions = {}): Promise<string> {
  const abs = path.resolve(target);
  checkDirTarget(abs, target, opts);
  const f = outputFs();
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  try {
    f.mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw fsFailure(parent, 'create the parent folder', e);
  }
  const tag = `${selfTag()}-${randomBytes(4).toString('hex')}`;
  const tmp = path.join(parent, `.${base}.tmp-${tag}`);
  const old = path.join(parent, `.${base}.old-${tag}`);
  const lock = path.join(parent, `.${base}.lock`);
  try {
    f.mkdirSync(tmp);
  } catch (e) {
    throw fsFailure(target, 'create a temporary folder beside it', e);
  }
  try {
    await fill(dirWriter(f, tmp, target));
    if (!hasPikehdlManifest(tmp)) {
      const files = f.readdirSync(tmp).sort();
      dirWriter(f, tmp, target).file(MANIFEST_NAME, `${JSON.stringify({ generatedBy: GENERATED_BY_PREFIX, files }, null, 2)}\n`);
    }
    await withDirLock(lock, async () => {
      // Checked again under the lock: another run may have put something there meanwhile.
      const state = checkDirTarget(abs, target, opts);
      if (state === 'replace') {
        try {
          f.renameSync(abs, old);
        } catch (e) {
          throw fsFailure(target, 'move the old output aside', e);
        }
      }
      try {
        f.renameSync(tmp, abs);
      } catch (e) {
        if (state === 'replace') f.renameSync(old, abs);
        throw fsFailure(target, 'move the new output into place', e);
      }
      if (state === 'replace') f.rmSync(old, { recursive: true, force: true });
    }, { timeoutError: (m) => new OutputError(target, m) }).catch((e: unknown) => {
      throw fsFailure(target, 'lock the output folder', e);
    });
    removeDebris(f, parent, base);
  } finally {
    try {
      f.rmSync(tmp, { recursive: true, force: true });
    } catch {
      // Best effort: a hidden temporary is removed by the next run (removeDebris).
    }
  }
  return abs;
}
