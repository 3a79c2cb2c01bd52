import { writeOutputFile } from '../../output/index.ts';

/**
 * The one place `import` and `export` write their output, by the output rules
 * (src/output): a path that exists and is not a regular file (a directory, a
 * symlink, a device or FIFO) is refused, and the file is written atomically,
 * so a failure leaves nothing behind.
 */
export function writeOutput(path: string, data: string | Uint8Array): void {
  writeOutputFile(path, data);
}
