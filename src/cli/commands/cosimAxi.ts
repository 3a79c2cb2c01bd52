// `pikehdl cosim --model <m> --set memory=axi [--mem-latency N] [--mem-bandwidth B] [--mem-outstanding N] [--mem-stall P]`:
// the AXI build of the accelerator beside the C++ AXI4 memory model and protocol checker
// (sim/accel/axiSim.ts). Every output element is compared with runInt, the predicted class with
// the layer program's, the compute cycles and MACs with the cycle model, the bytes moved with the
// traffic model and with the memory model's own count; stall cycles are measured and reported.
// A protocol violation, an access outside the memory map or a hang is one line naming the channel,
// cycle, address and layer (exit 1); bad --mem-* values are a CliError (exit 2).
import { type AccelProgram, axiTraffic, minimumTraffic, programPerformance, runProgram } from '../../accel/index.ts';
import { runInt } from '../../ref/index.ts';
import { argmax } from '../../train/evaluate.ts';
import path from 'node:path';
import { AxiRunError, AxiSimulator, buildAxiAccelerator, checkMemorySettings, hangCycles, rerunAxiWithTrace, type MemorySettings } from '../../../sim/accel/axiSim.ts';
import { buildRoot } from '../../../sim/paths.ts';
import { CliError } from '../cliError.ts';
import type { ResolvedModel } from '../accel/resolveModel.ts';
import type { CosimIo } from './cosim.ts';

export interface CosimAxiOptions {
  memLatency?: string;
  memBandwidth?: string;
  memOutstanding?: string;
  memStall?: string;
}

export function memorySettings(o: CosimAxiOptions, seed: number): MemorySettings {
  const num = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v)) throw new CliError(`--${name} ${JSON.stringify(text)} is invalid: must be a number`);
    return v;
  };
  const m: MemorySettings = {
    latency: num('mem-latency', o.memLatency, 1),
    bytesPerCycle: num('mem-bandwidth', o.memBandwidth, 16),
    maxOutstanding: num('mem-outstanding', o.memOutstanding, 4),
    stallPct: num('mem-stall', o.memStall, 0),
    seed,
  };
  const flags: Record<keyof MemorySettings, string> = { latency: '--mem-latency', bytesPerCycle: '--mem-bandwidth', maxOutstanding: '--mem-outstanding', stallPct: '--mem-stall', seed: '--seed' };
  try {
    checkMemorySettings(m, (f) => flags[f]);
  } catch (e) {
    if (e instanceof AxiRunError) throw new CliError(e.message);
    throw e;
  }
  return m;
}

/** Above this many compute cycles a failure writes no VCD by itself (every signal, two samples a cycle: gigabytes). */
const VCD_CYCLE_LIMIT = 1_000_000;

export async function runCosimAxi(
  o: CosimAxiOptions,
  io: CosimIo,
  run: {
    model: ResolvedModel; program: AccelProgram; inputs: readonly Int32Array[]; labels: readonly number[] | undefined; start: number; seed: number;
    /** The command that reruns `count` inputs from `from` (the failing one, after a failure). */
    replay: (from: number, count: number) => string;
    /** Test-only: a perturbed reference output (input index within the run) proves the failure path (VCD, replay). */
    perturbOutput?: (i: number, ref: Int32Array) => Int32Array;
  },
): Promise<boolean> {
  const { model, program, inputs, labels } = run;
  const mem = memorySettings(o, run.seed);
  io.err.write(`cosim: ${model.label}: ${program.layers.length} layers, ${program.config.lanes}x${program.config.lanes} MAC array, AXI build; building the Verilated accelerator\n`);
  const built = await buildAxiAccelerator(program.config, (l) => io.err.write(`${l}\n`));
  const sim = new AxiSimulator(built);
  const traffic = axiTraffic(program);
  const minimum = minimumTraffic(program, model.net);
  const perf = programPerformance(program);
  const macs = program.layers.reduce((s, d) => s + d.macs, 0);
  let compared = 0;
  let correctRtl = 0;
  let correctRef = 0;
  let cycles = 0;
  let stalls = 0;
  let outstanding = 0;
  let layerStalls: readonly number[] = [];
  let failure: string | undefined;
  // The input index of the first failure, and the one running (a harness error fails that one; -1: still loading).
  let failedAt: number | undefined;
  let current = -1;
  const t0 = performance.now();
  try {
    await sim.configure(mem, hangCycles(program));
    await sim.loadProgram(program);
    for (const [i, x] of inputs.entries()) {
      current = i;
      const r = await sim.infer(x);
      const exact = runInt(model.net, x).output;
      const ref = run.perturbOutput ? run.perturbOutput(i, exact) : exact;
      const bad = ref.findIndex((v, j) => r.output[j] !== v);
      if (bad >= 0) failure ??= `image ${run.start + i}, output ${bad}: RTL ${r.output[bad]}, runInt ${ref[bad]}`;
      compared += ref.length;
      let best = 0;
      for (let j = 1; j < r.output.length; j++) if (r.output[j]! > r.output[best]!) best = j;
      if (best !== runProgram(program, x).predicted) failure ??= `image ${run.start + i}: class ${best}, layer program ${runProgram(program, x).predicted}`;
      const k = r.counters;
      if (k.COMPUTE_CYCLES !== perf.cycles) failure ??= `image ${run.start + i}: COMPUTE_CYCLES ${k.COMPUTE_CYCLES}, cycle model ${perf.cycles}`;
      if (k.MACS !== macs) failure ??= `image ${run.start + i}: MACS ${k.MACS}, layer program ${macs}`;
      if (k.BYTES_READ !== traffic.bytesRead || r.modelBytesRead !== traffic.bytesRead) failure ??= `image ${run.start + i}: bytes read: counter ${k.BYTES_READ}, memory model ${r.modelBytesRead}, traffic model ${traffic.bytesRead}`;
      if (k.BYTES_WRITTEN !== traffic.bytesWritten || r.modelBytesWritten !== traffic.bytesWritten) failure ??= `image ${run.start + i}: bytes written: counter ${k.BYTES_WRITTEN}, memory model ${r.modelBytesWritten}, traffic model ${traffic.bytesWritten}`;
      if (labels !== undefined) {
        if (best === labels[i]) correctRtl++;
        if (argmax(ref) === labels[i]) correctRef++;
      }
      cycles += k.CYCLES;
      stalls += k.STALL_CYCLES;
      outstanding = Math.max(outstanding, r.outstandingSeen);
      layerStalls = layerStalls.length === 0 ? r.layerStalls : layerStalls.map((v, j) => v + r.layerStalls[j]!);
      if (r.layerStalls.reduce((a, b) => a + b, 0) !== k.STALL_CYCLES) failure ??= `image ${run.start + i}: per-layer stall cycles add up to ${r.layerStalls.reduce((a, b) => a + b, 0)}, STALL_CYCLES ${k.STALL_CYCLES}`;
      if (failure !== undefined) failedAt ??= i;
      if ((i + 1) % 100 === 0) io.err.write(`cosim ${i + 1}/${inputs.length}\n`);
    }
  } catch (e) {
    if (!(e instanceof AxiRunError)) throw e;
    // The first failure is the one reported, with its VCD and replay (a later hang does not replace a mismatch).
    if (failure === undefined) {
      failure = e.message;
      if (current >= 0) failedAt = current;
    }
  } finally {
    sim.kill();
  }
  const wallS = (performance.now() - t0) / 1000;
  const n = Math.max(1, inputs.length);
  const out = io.out;
  out(`accelerator cosim (AXI build): ${model.label}, ${inputs.length} ${labels ? 'held-out digits' : `seeded random inputs (seed ${run.seed})`}, ${compared} outputs compared`);
  out(`  memory model: latency ${mem.latency} cycles, ${mem.bytesPerCycle} bytes/cycle, ${mem.maxOutstanding} reads outstanding, ${mem.stallPct}% random READY/VALID stalls; ${program.config.axiDataBits ?? 64}-bit bus, at most ${outstanding} reads seen outstanding`);
  if (labels !== undefined) out(`  accuracy: RTL ${((100 * correctRtl) / n).toFixed(2)}%, runInt ${((100 * correctRef) / n).toFixed(2)}%`);
  const spilled = program.spill !== undefined;
  if (spilled) out(`  activations spilled: ${program.layers.length} descriptors (row bands) for ${new Set(program.layers.map((d) => d.name)).size} layers, activation RAM ${2 ** program.config.actAddrBits} words, activation region ${program.spill.actWords} words`);
  out(`  cycles per inference: ${(cycles / n).toFixed(0)}, ${(cycles / n / perf.idealCycles).toFixed(3)}x the ideal ${perf.idealCycles} (compute ${perf.cycles} = the cycle model, stall ${(stalls / n).toFixed(0)} waiting for memory, ${spilled ? 'waiting for band writes' : 'output write'} ${(cycles / n - perf.cycles - stalls / n).toFixed(0)})`);
  const perLayer = program.layers.map((d, j) => ({ d, stall: (layerStalls[j] ?? 0) / n, cycles: perf.layers[j]!.cycles })).filter((l) => l.stall > 0);
  if (perLayer.length > 0) out(`  stall per layer (descriptor: stall / compute cycles): ${perLayer.map((l) => `${l.d.name}${l.d.tile ? `[${l.d.tile.group0}]` : ''}${spilled && l.d.band !== undefined ? `@${l.d.band.oy0}` : ''} ${l.stall.toFixed(0)}/${l.cycles}`).join(', ')}`);
  out(`  bytes per inference: ${traffic.bytesRead} read, ${traffic.bytesWritten} written (= traffic model = memory model's count); minimum at the lane widths ${minimum.elementBytes} (each weight once at weightBits, input and output${spilled ? ' and each intermediate tensor written and read once' : ' once'} at actBits): ${((traffic.bytesRead + traffic.bytesWritten) / minimum.elementBytes).toFixed(2)}x; at the network's own widths (parameters included) ${minimum.networkBytes}: ${((traffic.bytesRead + traffic.bytesWritten) / minimum.networkBytes).toFixed(2)}x`);
  // A full-size inference takes seconds: say so rather than print 0.0 per second.
  const rate = inputs.length / wallS >= 1 ? `${(inputs.length / wallS).toFixed(1)} inferences/s` : `${(wallS / n).toFixed(1)} s per inference`;
  out(`  Verilator: ${rate} end to end${built.cacheHit ? ' (cache hit)' : ''}`);
  if (failure === undefined) {
    out('  result: bit-exact');
    return true;
  }
  out(`  FAILED: ${failure}`);
  if (failedAt !== undefined && inputs[failedAt] !== undefined && perf.cycles > VCD_CYCLE_LIMIT) {
    out(`  no VCD: an inference of ${perf.cycles} compute cycles would make a waveform of gigabytes (limit ${VCD_CYCLE_LIMIT}); PIKEHDL_VCD=<file> on a traced build (sim/accel/axiSim.ts) writes one on request`);
  } else if (failedAt !== undefined && inputs[failedAt] !== undefined) {
    // The waveform of the failing inference (program load included), from the traced twin of this build, in a
    // fresh harness: each inference restarts the stall stream from its seed (ZERO), so it replays the same stalls.
    io.err.write('cosim: writing the VCD of the failing inference (traced build)\n');
    const vcd = path.join(buildRoot(), 'vcd', `${program.network.replace(/[^A-Za-z0-9_]/g, '_')}-axi-image${run.start + failedAt}.vcd`);
    const written = await rerunAxiWithTrace(built, program, mem, inputs[failedAt]!, vcd);
    out(`  VCD of that inference: ${path.relative(process.cwd(), written)}`);
  }
  out(`  replay: ${failedAt === undefined ? run.replay(run.start, inputs.length) : run.replay(run.start + failedAt, 1)}`);
  return false;
}
