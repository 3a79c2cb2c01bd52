/**
 * Puts an emitted design on disk, all or nothing: every file is written into
 * a temporary sibling directory, which then replaces the output directory by
 * rename. A failed or interrupted generation leaves either the previous
 * complete output or none, never a half-written one that looks complete.
 * Besides the sources and extra files it writes `files.f` (the Verilog file
 * list, dependencies first) and `manifest.json` (files with sha256, config).
 */
import { createHash } from 'node:crypto';
import { GENERATOR_NAME } from '../emit/header.ts';
import type { EmittedDesign } from '../emit/emitDesign.ts';
import { writeOutputDir, type DirWriter, type OutputOptions } from '../../src/output/index.ts';

const FILE_NAME = /^[A-Za-z][A-Za-z0-9_]*\.(v|hex)$/;

export interface ManifestFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly generatedBy: string;
  readonly unit: string | null;
  readonly top: string;
  readonly config: EmittedDesign['config'] | null;
  readonly inWidth: number;
  readonly outWidth: number;
  readonly files: readonly ManifestFile[];
}

export interface WrittenDesign {
  readonly dir: string;
  /** File names written, manifest.json last. */
  readonly files: readonly string[];
}

/** The files writeDesign writes, with their contents (pure; used by writeDesign and tests). */
export function designFiles(design: EmittedDesign): { name: string; text: string }[] {
  const files = [...design.sources, ...design.files].map((f) => ({ name: f.name, text: f.text }));
  const seen = new Set<string>();
  for (const f of files) {
    // Names come from validated module identifiers; checked again because
    // they become paths.
    if (!FILE_NAME.test(f.name)) throw new Error(`writeDesign: file name ${JSON.stringify(f.name)} is not a plain identifier with .v or .hex`);
    if (seen.has(f.name)) throw new Error(`writeDesign: file ${f.name} appears twice`);
    seen.add(f.name);
  }
  files.push({ name: 'files.f', text: design.sources.map((s) => `${s.name}\n`).join('') });
  const manifest: Manifest = {
    generatedBy: GENERATOR_NAME,
    unit: design.generator ?? null,
    top: design.top,
    config: design.config ?? null,
    inWidth: design.inWidth,
    outWidth: design.outWidth,
    files: files.map((f) => ({
      name: f.name,
      bytes: Buffer.byteLength(f.text),
      sha256: createHash('sha256').update(f.text).digest('hex'),
    })),
  };
  files.push({ name: 'manifest.json', text: `${JSON.stringify(manifest, null, 2)}\n` });
  return files;
}

/** Writes a design's files through a DirWriter (into a folder being built by the output rules). */
export function writeDesignInto(design: EmittedDesign, w: DirWriter): string[] {
  const files = designFiles(design);
  for (const f of files) w.file(f.name, f.text);
  return files.map((f) => f.name);
}

/** One design into `outDir`, by the output rules (src/output). */
export async function writeDesign(design: EmittedDesign, outDir: string, opts: OutputOptions = {}): Promise<WrittenDesign> {
  let names: string[] = [];
  const dir = await writeOutputDir(outDir, (w) => {
    names = writeDesignInto(design, w);
  }, opts);
  return { dir, files: names };
}

/** A subfolder of a design set given as ready files (e.g. a design whose manifest carries more). */
export interface FileSet {
  readonly name: string;
  readonly files: readonly { readonly name: string; readonly text: string }[];
}

/**
 * Several designs as subfolders of one root, written into one temporary
 * folder and swapped in once: a failure (a full disk included) leaves either
 * every unit of the new output or the old root, never some of each. The root
 * gets its own manifest listing the units. `extra` subfolders are written
 * from ready file lists, in the same swap.
 */
export async function writeDesignSet(
  designs: readonly { name: string; design: EmittedDesign }[],
  root: string,
  opts: OutputOptions = {},
  extra: readonly FileSet[] = [],
): Promise<{ dir: string; units: { name: string; files: string[] }[] }> {
  const units: { name: string; files: string[] }[] = [];
  const dir = await writeOutputDir(root, (w) => {
    for (const d of designs) units.push({ name: d.name, files: writeDesignInto(d.design, w.dir(d.name)) });
    for (const set of extra) {
      const sub = w.dir(set.name);
      for (const f of set.files) sub.file(f.name, f.text);
      units.push({ name: set.name, files: set.files.map((f) => f.name) });
    }
    w.file('manifest.json', `${JSON.stringify({ generatedBy: GENERATOR_NAME, units: units.map((u) => u.name) }, null, 2)}\n`);
  }, opts);
  return { dir, units };
}
