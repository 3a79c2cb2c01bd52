/**
 * The accelerator's RTL kit: the emitted Verilog (ROMs read their hex
 * images with $readmemh), files.f, and a manifest.json extended with what an
 * integrator needs: top, ports, parameters, memory sizes, expected cycles per
 * inference and ACEv2 per inference. Written all or nothing, by the output rules (src/output).
 */
import { type AccelProgram, analyticAcev2, programPerformance, descriptorWidth, weightWordWidth, paramWordWidth, actWordWidth } from '../../accel/index.ts';
import { generateAccelerator } from '../../../hdl-gen/accel/index.ts';
import { emitDesign, type EmittedDesign } from '../../../hdl-gen/emit/index.ts';
import { designFiles } from '../../../hdl-gen/write/index.ts';
import { writeOutputDir, type OutputOptions } from '../../output/index.ts';
import type { ResolvedModel } from './resolveModel.ts';
import { axiAcceleratorKit } from './axiKit.ts';

export const ACCEL_TOP = 'pike_accel';

export interface AcceleratorKit {
  readonly design: EmittedDesign;
  readonly manifest: Record<string, unknown>;
  readonly summary: string;
  /** Files beside the design's (the AXI build's register header). */
  readonly extraFiles?: readonly { readonly name: string; readonly text: string }[];
}

export function acceleratorKit(model: ResolvedModel, program: AccelProgram, romInit: 'readmemh' | 'inline' = 'readmemh'): AcceleratorKit {
  if (program.config.memory === 'axi') return axiAcceleratorKit(model, program);
  const top = generateAccelerator(program, ACCEL_TOP, { statusPorts: true });
  const design = emitDesign(top, { romInit });
  const perf = programPerformance(program);
  const c = program.config;
  const memories = [
    { name: 'acts', kind: 'ram', words: 2 ** c.actAddrBits, width: actWordWidth(c), used: program.actWordsUsed },
    { name: 'weights', kind: 'rom', words: 2 ** c.weightAddrBits, width: weightWordWidth(c), used: program.weightWords.length },
    { name: 'params', kind: 'rom', words: 2 ** c.paramAddrBits, width: paramWordWidth(c), used: program.paramWords.length },
    // ROM builds: the program is a mux over constants and the counters are registers, one per layer.
    { name: 'layer_desc', kind: c.loadable ? 'ram' : 'logic', words: c.loadable ? 2 ** c.progAddrBits : program.layers.length, width: descriptorWidth(c), used: program.layers.length },
    { name: 'stats', kind: 'registers', words: c.loadable ? 2 ** c.progAddrBits : program.layers.length, width: 3 * c.outBits, used: program.layers.length },
  ].map((mm) => ({ ...mm, bits: mm.words * mm.width }));
  const acev2 = model.float && model.recipe ? analyticAcev2(model.float, model.recipe) : null;
  const manifest = {
    accelerator: {
      network: program.network,
      model: model.label,
      top: ACCEL_TOP,
      ports: top.ports.map((p) => ({ name: p.name, direction: p.kind === 'input' ? 'input' : 'output', width: p.shape.width, signed: p.shape.signed })),
      parameters: c,
      memories,
      layers: perf.layers,
      expectedCyclesPerInference: perf.cycles,
      inputBeats: program.input.height * program.input.width * program.input.channels,
      outputBeats: program.outputBeats,
      idealCycles: perf.idealCycles,
      multipliers: perf.multipliers,
      acev2PerInference: acev2,
    },
  };
  const kb = (bits: number): string => `${(bits / 8192).toFixed(1)} KiB`;
  const summary =
    `accelerator ${ACCEL_TOP} for ${model.label}: ${program.layers.length}-layer program on a ${c.lanes}x${c.lanes} MAC array ` +
    `(${perf.multipliers} multipliers, depthwise on its ${c.lanes}-lane diagonal), ${c.actBits}-bit activations, ${c.weightBits}-bit weights, ${c.accBits}-bit accumulators; ` +
    `memories ${memories.map((mm) => `${mm.name} ${mm.words}x${mm.width} (${kb(mm.bits)})`).join(', ')}; ` +
    `${perf.cycles} cycles per inference (ideal ${perf.idealCycles}, ${(perf.cycles / perf.idealCycles).toFixed(2)}x), MAC-array utilization ${(100 * perf.macArrayUtilization).toFixed(1)}% ` +
    `(pointwise ${(100 * perf.pointwiseUtilization).toFixed(1)}%), depthwise ${(100 * perf.depthwiseUtilization).toFixed(1)}%` +
    (acev2 !== null ? `; ACEv2 ${acev2.toExponential(4)} per inference.` : '.');
  return { design, manifest, summary };
}

/** The kit's files: the design's files, with the accelerator section appended to manifest.json (and the AXI build's C header). */
export function kitFiles(kit: AcceleratorKit): { name: string; text: string }[] {
  const files = [...designFiles(kit.design), ...(kit.extraFiles ?? [])];
  const i = files.findIndex((f) => f.name === 'manifest.json');
  const base = JSON.parse(files[i]!.text) as Record<string, unknown>;
  // The file list's hashes stay those designFiles computed; the accelerator section is appended.
  files[i] = { name: 'manifest.json', text: `${JSON.stringify({ ...base, ...kit.manifest }, null, 2)}\n` };
  return files;
}

/** Writes the kit into `dir` by the output rules (src/output); returns the written file names. */
export async function writeAcceleratorKit(kit: AcceleratorKit, dir: string, opts: OutputOptions = {}): Promise<{ dir: string; files: string[] }> {
  const files = kitFiles(kit);
  const out = await writeOutputDir(dir, (w) => {
    for (const f of files) w.file(f.name, f.text);
  }, opts);
  return { dir: out, files: files.map((f) => f.name) };
}
