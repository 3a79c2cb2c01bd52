// A fault-injecting filesystem for the output rules (src/output/outputFs.ts):
// fails file creation after N files, or fails writes with ENOSPC once a byte
// budget is spent, the way a full disk does part-way through an output.
import { NODE_OUTPUT_FS, type OutputFs } from '../../src/output/index.ts';

export interface FaultPlan {
  /** Files that may still be created; the next openSync fails. -1: no limit. */
  filesLeft?: number;
  /** Bytes that may still be written; then writeSync fails. -1: no limit. */
  bytesLeft?: number;
  /** The errno code of the injected failure (default ENOSPC). */
  code?: string;
  /** Fail renames too (a swap that cannot happen). */
  failRename?: boolean;
}

function errno(code: string, syscall: string, p?: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: injected failure, ${syscall}${p === undefined ? '' : ` '${p}'`}`);
  e.code = code;
  e.syscall = syscall;
  if (p !== undefined) e.path = p;
  return e;
}

export function faultFs(plan: FaultPlan): OutputFs {
  const code = plan.code ?? 'ENOSPC';
  let files = plan.filesLeft ?? -1;
  let bytes = plan.bytesLeft ?? -1;
  return {
    ...NODE_OUTPUT_FS,
    openSync(p, flags, mode) {
      if (flags.includes('w')) {
        if (files === 0) throw errno(code, 'open', p);
        if (files > 0) files--;
      }
      return NODE_OUTPUT_FS.openSync(p, flags, mode);
    },
    writeSync(fd, data) {
      if (bytes >= 0) {
        if (bytes === 0) throw errno(code, 'write');
        const n = Math.min(bytes, data.length);
        bytes -= n;
        return NODE_OUTPUT_FS.writeSync(fd, data.subarray(0, n));
      }
      return NODE_OUTPUT_FS.writeSync(fd, data);
    },
    renameSync(a, b) {
      if (plan.failRename === true) throw errno('EIO', 'rename', a);
      NODE_OUTPUT_FS.renameSync(a, b);
    },
  };
}
