/**
 * A whole design: the top module and every module it instantiates, one file
 * per module named `<module>.v` (Verilator's DECLFILENAME), dependencies
 * first, each module once.
 */
import { DslError } from '../dsl/dslError.ts';
import type { Module } from '../dsl/module.ts';
import type { JsonValue } from '../dsl/moduleTypes.ts';
import { type EmittedFile, type RomInit, emitModule } from './emitModule.ts';
import { streamWidths } from './streamWidths.ts';

export interface EmittedDesign {
  /** Top module name. */
  readonly top: string;
  /** One `<module>.v` per module, dependencies first, the top last. */
  readonly sources: readonly EmittedFile[];
  /** Extra files the sources read at elaboration or simulation time (ROM hex files). */
  readonly files: readonly EmittedFile[];
  /** Width of in_data / out_data when the top follows the stream convention, else 0. */
  readonly inWidth: number;
  readonly outWidth: number;
  readonly generator: string | undefined;
  readonly config: JsonValue | undefined;
}

export interface EmitOptions {
  /**
   * How ROMs get their contents: `$readmemh` of a hex file returned in
   * `files` (default; the file must be in the simulator's working directory),
   * or an inline `initial` block (self-contained, for co-simulation).
   */
  readonly romInit?: RomInit;
}

export function emitDesign(top: Module, opts: EmitOptions = {}): EmittedDesign {
  const romInit = opts.romInit ?? 'readmemh';
  const order: Module[] = [];
  const visiting = new Set<Module>();
  const visit = (m: Module): void => {
    if (order.includes(m)) return;
    if (visiting.has(m)) throw new DslError(`emitDesign: module ${m.name} instantiates itself through its children`);
    visiting.add(m);
    m.seal();
    for (const inst of m.instances) visit(inst.module);
    visiting.delete(m);
    order.push(m);
  };
  visit(top);

  const byName = new Map<string, string>();
  const sources: EmittedFile[] = [];
  const files: EmittedFile[] = [];
  for (const m of order) {
    const out = emitModule(m, romInit);
    const prior = byName.get(m.name);
    if (prior !== undefined) {
      if (prior !== out.text) {
        throw new DslError(
          `emitDesign: two different modules are named ${m.name}: give each configuration its own module name`,
        );
      }
      continue;
    }
    byName.set(m.name, out.text);
    sources.push({ name: `${m.name}.v`, text: out.text });
    files.push(...out.files);
  }
  const widths = streamWidths(top);
  return {
    top: top.name,
    sources,
    files,
    inWidth: widths?.inWidth ?? 0,
    outWidth: widths?.outWidth ?? 0,
    generator: top.meta.generator,
    config: top.meta.config,
  };
}
