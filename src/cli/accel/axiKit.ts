/**
 * The AXI build's RTL kit (`gen --model ... --set memory=axi`): the emitted
 * Verilog (no ROM images: the program, weights and parameters are read from
 * memory), the C register header `pike_accel_regs.h` made from the register
 * table, and a manifest with the ports, the register map, the memory map and
 * the expected traffic and compute cycles.
 */
import { type AccelProgram, AXI_REGISTERS, axiHeader, axiMemoryMap, axiSettings, axiTraffic, programPerformance, actWordWidth, descriptorWidth, paramWordWidth, weightWordWidth } from '../../accel/index.ts';
import { generateAxiAccelerator } from '../../../hdl-gen/accel/index.ts';
import { emitDesign } from '../../../hdl-gen/emit/index.ts';
import type { AcceleratorKit } from './acceleratorKit.ts';
import type { ResolvedModel } from './resolveModel.ts';

export const AXI_HEADER_FILE = 'pike_accel_regs.h';

export function axiAcceleratorKit(model: ResolvedModel, program: AccelProgram): AcceleratorKit {
  const c = program.config;
  const top = generateAxiAccelerator(c, 'pike_accel');
  const design = emitDesign(top);
  const perf = programPerformance(program);
  const s = axiSettings(c);
  const map = axiMemoryMap(program);
  const traffic = axiTraffic(program);
  const memories = [
    { name: 'acts', kind: 'ram', words: 2 ** c.actAddrBits, width: actWordWidth(c), used: program.actWordsUsed },
    { name: 'weights', kind: 'ram (two halves)', words: 2 ** c.weightAddrBits, width: weightWordWidth(c), used: program.weightWords.length },
    { name: 'params', kind: 'ram (two halves)', words: 2 ** c.paramAddrBits, width: paramWordWidth(c), used: program.paramWords.length },
    { name: 'layer_desc', kind: 'ram', words: 2 ** c.progAddrBits, width: descriptorWidth(c), used: program.layers.length },
  ].map((mm) => ({ ...mm, bits: mm.words * mm.width }));
  const manifest = {
    accelerator: {
      network: program.network,
      model: model.label,
      top: 'pike_accel',
      build: 'axi',
      ports: top.ports.map((p) => ({ name: p.name, direction: p.kind === 'input' ? 'input' : 'output', width: p.shape.width })),
      parameters: c,
      axi: { dataBits: s.dataBits, addrBits: s.addrBits, maxBurst: s.maxBurst, maxOutstanding: s.maxOutstanding, registers: AXI_REGISTERS, header: AXI_HEADER_FILE },
      memoryMap: map.regions,
      memories,
      layers: perf.layers,
      computeCyclesPerInference: perf.cycles,
      bytesReadPerInference: traffic.bytesRead,
      bytesWrittenPerInference: traffic.bytesWritten,
      idealCycles: perf.idealCycles,
      multipliers: perf.multipliers,
    },
  };
  const summary =
    `accelerator pike_accel (AXI build) for ${model.label}: ${program.layers.length}-layer program on a ${c.lanes}x${c.lanes} MAC array; ` +
    `m_axi_* ${s.dataBits}-bit AXI4 master (bursts <= ${s.maxBurst} beats, <= ${s.maxOutstanding} reads outstanding), s_axil_* AXI4-Lite registers (${AXI_HEADER_FILE}); ` +
    `on-chip weight buffer 2x${2 ** (c.weightAddrBits - 1)} words, parameter buffer 2x${2 ** (c.paramAddrBits - 1)}, activation RAM ${2 ** c.actAddrBits} words; ` +
    `${perf.cycles} compute cycles per inference plus memory stalls; ${traffic.bytesRead} bytes read and ${traffic.bytesWritten} written per inference.`;
  return { design, manifest, summary, extraFiles: [{ name: AXI_HEADER_FILE, text: axiHeader(c) }] };
}
