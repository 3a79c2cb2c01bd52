/**
 * A refused or failed write: the message names the path and the rule (or the
 * system's reason, e.g. ENOSPC). The CLI prints it as one line, exit code 2.
 */
export class OutputError extends Error {
  readonly path: string;
  /** The errno code when the filesystem refused (EACCES, ENOSPC, EROFS, ...), else undefined. */
  readonly code: string | undefined;
  constructor(path: string, message: string, code?: string) {
    super(`${path}: ${message}`);
    this.name = 'OutputError';
    this.path = path;
    this.code = code;
  }
}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only filesystem',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a path component is not a folder',
  EISDIR: 'is a folder',
  ENAMETOOLONG: 'name too long',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EXDEV: 'crosses filesystems',
  ELOOP: 'too many symbolic links',
  EBUSY: 'busy',
};

/** "ENOSPC (no space left on device)", or the error's message when it has no errno code. */
export function describeFsError(e: unknown): { code: string | undefined; text: string } {
  const code = typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
  if (code === undefined) return { code, text: e instanceof Error ? e.message : String(e) };
  const reason = REASONS[code];
  return { code, text: reason === undefined ? code : `${code} (${reason})` };
}

/** Wraps a filesystem error (one with an errno code) as an OutputError naming `path` and what was being done. */
export function fsFailure(path: string, doing: string, e: unknown): Error {
  if (e instanceof OutputError) return e;
  const d = describeFsError(e);
  // Not a filesystem refusal: a bug, keep it as it is.
  if (d.code === undefined) return e instanceof Error ? e : new Error(String(e));
  return new OutputError(path, `cannot ${doing}: ${d.text}`, d.code);
}
