import { lstatSync } from 'node:fs';
import { CliError } from '../cliError.ts';
import { ModelError, writeFileAtomic } from '../../model/index.ts';

/**
 * The one place `import` and `export` write their output: refuse a path that
 * exists and is not a regular file (a directory, a symlink, a device or FIFO),
 * then write atomically (temp file + rename), so a failure leaves nothing
 * behind. Kept in one function so a shared output-rules module can replace it.
 */
export function writeOutput(path: string, data: string | Uint8Array): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    st = undefined;
  }
  if (st !== undefined && !st.isFile()) throw new CliError(`--out ${path}: exists and is not a regular file: refusing to write there`);
  try {
    writeFileAtomic(path, data);
  } catch (err) {
    if (err instanceof ModelError) throw new CliError(err.message);
    throw err;
  }
}
