/**
 * Puts an emitted design on disk, all or nothing: every file is written into
 * a temporary sibling directory, which then replaces the output directory by
 * rename. A failed or interrupted generation leaves either the previous
 * complete output or none, never a half-written one that looks complete.
 * Besides the sources and extra files it writes `files.f` (the Verilog file
 * list, dependencies first) and `manifest.json` (files with sha256, config).
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GENERATOR_NAME } from '../emit/header.ts';
import type { EmittedDesign } from '../emit/emitDesign.ts';
import { replaceDir } from './replaceDir.ts';

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

export async function writeDesign(design: EmittedDesign, outDir: string): Promise<WrittenDesign> {
  const files = designFiles(design);
  const dir = await replaceDir(outDir, async (tmp) => {
    for (const f of files) await writeFile(path.join(tmp, f.name), f.text);
  });
  return { dir, files: files.map((f) => f.name) };
}
