/**
 * The accelerator's performance report for one compiled network: cycles per
 * inference against the ideal (sum over layers of MACs / multipliers of the
 * engine that runs it), per-layer cycles and utilization, ACEv2 per
 * inference, inferences per second at a stated clock, and external-memory
 * traffic: the minimum against what the design moves.
 *
 * Traffic model (bytes, values packed at their own bit widths):
 *  - minimum (minimumTraffic.ts, which also gives the floor at the design's
 *    lane widths): every weight and per-channel parameter read once, the
 *    input read once, the output written once; intermediate activations add
 *    a write and a read only if they leave the chip (a spilled AXI program).
 *    The on-chip compiler refuses networks that do not fit, so for the
 *    on-chip build they never leave it.
 *  - layer by layer (the roofline's x axis): each layer reads its weights,
 *    parameters and input tensor(s) and writes its output, as an accelerator
 *    that keeps no tensor on chip between layers must.
 *  - this design (on-chip, loadable build): per inference the input stream
 *    (one activation per beat) and the output stream (logits, class,
 *    counters); once per program load the weight, parameter and descriptor
 *    memories at their word widths (lanes x lanes weights per word, channel
 *    groups padded to whole words). The AXI build: the AXI traffic model
 *    (axiTraffic.ts, which the co-simulation checks against the RTL's byte
 *    counters), with a spilled program's activation traffic; then the
 *    intermediates leave the chip and the minimum counts them.
 * A layer split into several descriptors (AXI output-group tiles, spill row
 * bands) is one row: its descriptors' MACs and cycles added.
 * Cycles are the layer program's cycle model (performance.ts), which the
 * co-simulation checks against the RTL's counters on every inference.
 */
import type { FloatNetwork, IntNetwork } from '../model/index.ts';
import { walkIntNetwork } from '../model/index.ts';
import type { Recipe } from '../quant/index.ts';
import { type LayerActivity, activityAcev2, analyticAcev2 } from './acev2.ts';
import { descriptorWidth, paramWordWidth, weightWordWidth } from './layout.ts';
import { engineMultipliers, programPerformance } from './performance.ts';
import type { AccelProgram } from './program.ts';
import { axiTraffic } from './axiTraffic.ts';
import { layerParamBytes, layerWeightBytes, minimumTraffic, packedBytes } from './minimumTraffic.ts';

/** Stated operating point: the clock for inferences per second, the external bandwidth for the roofline. */
export const DEFAULT_CLOCK_MHZ = 200;
export const DEFAULT_BANDWIDTH_BYTES_PER_CYCLE = 16;

export interface LayerPerfRow {
  readonly name: string;
  readonly op: string;
  readonly engine: 'mac-array' | 'diagonal';
  /** Multipliers of the engine that runs the layer (the roofline's compute ceiling). */
  readonly peakMacsPerCycle: number;
  readonly macs: number;
  readonly cycles: number;
  readonly idealCycles: number;
  readonly utilization: number;
  readonly attainedMacsPerCycle: number;
  readonly weightBytes: number;
  readonly paramBytes: number;
  readonly inputBytes: number;
  readonly outputBytes: number;
  /** Bytes the layer moves when no tensor stays on chip between layers. */
  readonly layerTrafficBytes: number;
  /** MACs per byte of layerTrafficBytes. */
  readonly intensity: number;
  /** Cycles the layer would need at the stated bandwidth if it streamed layerTrafficBytes, fully overlapped with compute. */
  readonly streamedCycles: number;
}

export interface AccelPerfReport {
  readonly network: string;
  readonly lanes: number;
  readonly clockMHz: number;
  readonly bandwidthBytesPerCycle: number;
  readonly layers: readonly LayerPerfRow[];
  readonly macs: number;
  readonly cycles: number;
  readonly idealCycles: number;
  readonly ratio: number;
  readonly inferencesPerSecond: number;
  readonly macArrayUtilization: number;
  readonly depthwiseUtilization: number;
  /** Cycles if every layer streamed its tensors at the stated bandwidth (sum of max(compute, memory) per layer). */
  readonly streamedCycles: number;
  readonly traffic: {
    /** The floor at the network's own widths (minimumTraffic.ts): weights + parameters + input + output (+ intermediates when they leave the chip). */
    readonly minimumBytes: number;
    /** The floor at this design's element widths (minimumTraffic.ts): weights at weightBits, tensors at actBits, no parameters. */
    readonly minimumElementBytes: number;
    readonly intermediatesLeaveChip: boolean;
    /** Sum of the layers' layer-by-layer traffic. */
    readonly layerByLayerBytes: number;
    /** This design per inference: the input and output streams. */
    readonly designPerInferenceBytes: number;
    /** This design once per program load: weight, parameter and descriptor memories. */
    readonly designPerLoadBytes: number;
    /** The AXI build: bytes read and written over m_axi_* per inference (weights, parameters and the program included; spilled activations too). */
    readonly axi?: { readonly bytesRead: number; readonly bytesWritten: number };
  };
  readonly acev2?: { readonly fromActivity: number; readonly analytic: number; readonly source: 'simulated counters' | 'layer program' };
}

const bytes = packedBytes;

export function accelPerformanceReport(
  program: AccelProgram,
  net: IntNetwork,
  cost?: { readonly float: FloatNetwork; readonly recipe: Recipe; readonly activity?: readonly LayerActivity[] },
  opts: { readonly clockMHz?: number; readonly bandwidthBytesPerCycle?: number } = {},
): AccelPerfReport {
  const clockMHz = opts.clockMHz ?? DEFAULT_CLOCK_MHZ;
  const bw = opts.bandwidthBytesPerCycle ?? DEFAULT_BANDWIDTH_BYTES_PER_CYCLE;
  const c = program.config;
  const perf = programPerformance(program);
  const { shapes } = walkIntNetwork(net);
  // One row per network layer: its descriptors (tiles, bands) are consecutive and carry its name.
  const rowsOf = net.layers.map((l) => {
    const idx = program.layers.flatMap((d, j) => (d.name === l.name ? [j] : []));
    const add = (f: (j: number) => number): number => idx.reduce((t, j) => t + f(j), 0);
    const d = program.layers[idx[0]!]!;
    const cycles = add((j) => perf.layers[j]!.cycles);
    const macs = add((j) => program.layers[j]!.macs);
    return { d, macs, cycles, idealCycles: add((j) => perf.layers[j]!.idealCycles), outputElements: add((j) => program.layers[j]!.outputElements), outChannels: d.tile?.layerOutChannels ?? d.outChannels, engine: perf.layers[idx[0]!]!.engine };
  });
  const layers = rowsOf.map((row, i): LayerPerfRow => {
    const l = net.layers[i]!;
    const s = shapes[i]!;
    const d = row.d;
    const p = { engine: row.engine, cycles: row.cycles, idealCycles: row.idealCycles, utilization: row.macs / (engineMultipliers(program, d) * row.cycles) };
    const inBits = s.inputTensor.bits;
    const outBits = l.output.bits;
    const weightBytes = layerWeightBytes(l);
    const paramBytes = layerParamBytes(l, row.outChannels, program);
    const inElements = s.input.height * s.input.width * s.input.channels;
    const inputBytes = bytes(inElements, inBits) + (l.op === 'add' && s.withTensor !== undefined ? bytes(inElements, s.withTensor.bits) : 0);
    const outputBytes = bytes(row.outputElements, outBits);
    const traffic = weightBytes + paramBytes + inputBytes + outputBytes;
    return {
      name: d.name, op: d.op, engine: p.engine, peakMacsPerCycle: engineMultipliers(program, d),
      macs: row.macs, cycles: p.cycles, idealCycles: p.idealCycles, utilization: p.utilization, attainedMacsPerCycle: row.macs / p.cycles,
      weightBytes, paramBytes, inputBytes, outputBytes, layerTrafficBytes: traffic, intensity: traffic > 0 ? row.macs / traffic : 0,
      streamedCycles: Math.max(p.cycles, Math.ceil(traffic / bw)),
    };
  });
  const sum = (f: (r: LayerPerfRow) => number): number => layers.reduce((a, r) => a + f(r), 0);
  const inElements = program.input.height * program.input.width * program.input.channels;
  const minimum = minimumTraffic(program, net);
  const axi = c.memory === 'axi' ? axiTraffic(program) : undefined;
  const acev2 = cost
    ? {
        fromActivity: activityAcev2(cost.float, cost.recipe, cost.activity ?? rowsOf.map((r) => ({ name: r.d.name, macs: r.macs, outputElements: r.outputElements }))),
        analytic: analyticAcev2(cost.float, cost.recipe),
        source: cost.activity ? ('simulated counters' as const) : ('layer program' as const),
      }
    : undefined;
  return {
    network: program.network,
    lanes: c.lanes,
    clockMHz,
    bandwidthBytesPerCycle: bw,
    layers,
    macs: sum((r) => r.macs),
    cycles: perf.cycles,
    idealCycles: perf.idealCycles,
    ratio: perf.cycles / perf.idealCycles,
    inferencesPerSecond: (clockMHz * 1e6) / perf.cycles,
    macArrayUtilization: perf.macArrayUtilization,
    depthwiseUtilization: perf.depthwiseUtilization,
    streamedCycles: sum((r) => r.streamedCycles),
    traffic: {
      minimumBytes: minimum.networkBytes,
      minimumElementBytes: minimum.elementBytes,
      intermediatesLeaveChip: minimum.intermediatesLeaveChip,
      layerByLayerBytes: sum((r) => r.layerTrafficBytes),
      designPerInferenceBytes: bytes(inElements, c.actBits) + bytes(program.outputBeats, c.outBits),
      designPerLoadBytes: bytes(program.weightWords.length, weightWordWidth(c)) + bytes(program.paramWords.length, paramWordWidth(c)) + bytes(program.layers.length, descriptorWidth(c)),
      ...(axi ? { axi: { bytesRead: axi.bytesRead, bytesWritten: axi.bytesWritten } } : {}),
    },
    ...(acev2 ? { acev2 } : {}),
  };
}

const mb = (b: number): string => (b >= 1e6 ? `${(b / 1e6).toFixed(2)} MB` : `${(b / 1e3).toFixed(1)} kB`);
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The summary lines the cosim command and the bench print. */
export function formatPerformanceSummary(r: AccelPerfReport): string[] {
  const lines = [
    `performance (${r.lanes}x${r.lanes} array, ${r.macs.toLocaleString('en-US')} MACs): ${r.cycles.toLocaleString('en-US')} cycles per inference, ideal ${r.idealCycles.toLocaleString('en-US')} (ratio ${r.ratio.toFixed(3)}); ${r.inferencesPerSecond.toFixed(1)} inferences/s at ${r.clockMHz} MHz`,
    `  MAC array ${pct(r.macArrayUtilization)}, depthwise (diagonal) ${r.layers.some((l) => l.op === 'depthwiseConv2d') ? pct(r.depthwiseUtilization) : 'n/a (no depthwise layers)'}; layer by layer at ${r.bandwidthBytesPerCycle} B/cycle: ${r.streamedCycles.toLocaleString('en-US')} cycles (${(r.streamedCycles / r.idealCycles).toFixed(3)}x ideal)`,
    `  external memory: minimum ${mb(r.traffic.minimumBytes)} per inference (weights, parameters, input, output; intermediates ${r.traffic.intermediatesLeaveChip ? 'leave the chip: written and read once each' : 'stay in the on-chip activation RAM'}), layer by layer ${mb(r.traffic.layerByLayerBytes)}; ${
      r.traffic.axi
        ? `this AXI build moves ${mb(r.traffic.axi.bytesRead)} read and ${mb(r.traffic.axi.bytesWritten)} written per inference (${((r.traffic.axi.bytesRead + r.traffic.axi.bytesWritten) / r.traffic.minimumBytes).toFixed(2)}x the minimum, ${((r.traffic.axi.bytesRead + r.traffic.axi.bytesWritten) / r.traffic.minimumElementBytes).toFixed(2)}x the minimum at the lane widths of ${mb(r.traffic.minimumElementBytes)}; words padded to whole bus beats)`
        : `this on-chip build moves ${mb(r.traffic.designPerInferenceBytes)} per inference and ${mb(r.traffic.designPerLoadBytes)} once per program load (weights resident)`
    }`,
  ];
  if (r.acev2) lines.push(`  ACEv2 per inference: ${r.acev2.fromActivity.toExponential(6)} from the ${r.acev2.source}, ${r.acev2.analytic.toExponential(6)} analytic (${r.acev2.fromActivity === r.acev2.analytic ? 'equal' : 'DIFFERENT'})`);
  return lines;
}
