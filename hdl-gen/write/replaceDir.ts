import { writeOutputDir, type OutputOptions } from '../../src/output/index.ts';

/**
 * Replaces `outDir` with what `fill` writes into a temporary folder, by the
 * output rules of src/output (refuses a folder pikehdl did not write, a file,
 * a symlink or a device unless allowed; swaps atomically). Kept for callers
 * that write with their own fs calls; new code should use writeOutputDir.
 */
export async function replaceDir(outDir: string, fill: (tmp: string) => Promise<void>, opts: OutputOptions = {}): Promise<string> {
  return writeOutputDir(outDir, (w) => fill(w.root), opts);
}
