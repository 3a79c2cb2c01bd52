// `pikehdl cosim --model <int.json|builtin> [--images N] [--start S] [--set key=value ...]`:
// the whole network through the Verilated accelerator and through runInt. For
// MNIST-shaped networks the inputs are held-out digits of the fixed split;
// otherwise seeded random inputs. Every logit and every counter beat is compared;
// the summary gives accuracy (RTL and reference), cycles, utilization, per-layer
// cycles and ACEv2 per inference from the activity counters beside the analytic tally.
// A mismatch names the first differing logit, locates the first differing layer,
// channel and pixel when the schedule itself differs, writes a VCD of that
// inference and prints the replay command (exit 1).
import path from 'node:path';
import cliProgress from 'cli-progress';
import { type AccelProgram, activityAcev2, analyticAcev2, programPerformance } from '../../accel/index.ts';
import { runInt } from '../../ref/index.ts';
import { quantizeInput } from '../../ref/index.ts';
import { heldOut, argmax } from '../../train/evaluate.ts';
import { imageOf } from '../../train/dataset.ts';
import { buildLoadableAccelerator, runInferences, startSimulator } from '../../../sim/accel/acceleratorSim.ts';
import { ACCEL_BUILDS, type AccelBuildKind, openAccelerator } from '../../../sim/accel/accelBuild.ts';
import { isSyntheticModelName } from '../../networks/syntheticModels.ts';
import { accelPerformanceReport, formatPerformanceSummary } from '../../accel/perfReport.ts';
import { firstDifferingLayer } from '../../../sim/accel/locateLayer.ts';
import { beatsToValues, expectedCounterValues } from '../../../sim/accel/expectedBeats.ts';
import { rerunWithTrace } from '../../../sim/index.ts';
import { buildRoot } from '../../../sim/paths.ts';
import { CliError } from '../cliError.ts';
import { parseSets, setupAccelerator } from '../accel/accelSetup.ts';
import { locateMismatch } from '../accel/locateMismatch.ts';
import type { CosimIo } from './cosim.ts';
import { type CosimAxiOptions, runCosimAxi } from './cosimAxi.ts';

export interface CosimModelArgs extends CosimAxiOptions {
  model: string;
  images?: string;
  start?: string;
  set: string[];
  seed: string;
  /** rom or loadable; default: loadable for the synthetic built-ins (full-size networks), rom otherwise. */
  build?: string;
}

function intOption(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new CliError(`--${name} ${JSON.stringify(text)} is invalid: must be an integer from ${min} to ${max}`);
  return n;
}

function seededInputs(program: AccelProgram, count: number, seed: number): Int32Array[] {
  let a = seed >>> 0;
  const next = (): number => {
    a = (Math.imul(a ^ (a >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return a / 4294967296;
  };
  const { height, width, channels, min, max } = program.input;
  return Array.from({ length: count }, () => Int32Array.from({ length: height * width * channels }, () => min + Math.floor(next() * (max - min + 1))));
}

/** Test-only: a perturbed reference proves the mismatch path (location, VCD, replay) end to end. */
export interface CosimModelHooks {
  /** `image`: the input's index within the run (0 = the --start image). */
  perturbReference?(image: number, layer: string, tensor: Int32Array): Int32Array;
}

/** The memory-model options (only with --set memory=axi), and their command-line names. */
const MEM_FLAG_KEYS = ['memLatency', 'memBandwidth', 'memOutstanding', 'memStall'] as const;
const memFlagName = (k: (typeof MEM_FLAG_KEYS)[number]): string => `--${k.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;

export async function runCosimModel(args: CosimModelArgs, io: CosimIo, hooks: CosimModelHooks = {}): Promise<boolean> {
  const reference = (i: number): ReadonlyMap<string, Int32Array> => {
    const outs = runInt(model.net, inputs[i]!).outputs;
    if (hooks.perturbReference === undefined) return outs;
    return new Map([...outs].map(([n, t]) => [n, hooks.perturbReference!(i, n, Int32Array.from(t))]));
  };
  const buildKind = args.build ?? (isSyntheticModelName(args.model) ? 'loadable' : 'rom');
  if (!(ACCEL_BUILDS as readonly string[]).includes(buildKind)) throw new CliError(`--accel-build ${JSON.stringify(buildKind)} is invalid: use ${ACCEL_BUILDS.join(' or ')}`);
  // The memory model exists only beside the AXI build: a memory flag on an on-chip build would be ignored
  // silently. Refused here, from the --set list, before minutes of weights and compile.
  const memFlag = MEM_FLAG_KEYS.find((k) => args[k] !== undefined);
  if (memFlag !== undefined && parseSets(args.set)['memory'] !== 'axi') throw new CliError(`${memFlagName(memFlag)} applies to the AXI build only: add --set memory=axi`);
  // Phases of a long run on stderr, with their seconds (a cold 224x224 run takes a minute or more).
  const tStart = performance.now();
  const phase = (line: string): void => void io.err.write(`cosim: ${line}\n`);
  const { model, program: fitted } = setupAccelerator(args.model, args.set, phase);
  const setupS = (performance.now() - tStart) / 1000;
  const images = intOption('images', args.images ?? '100', 1, 2000);
  const start = intOption('start', args.start ?? '0', 0, 1999);
  const seed = intOption('seed', args.seed, 0, 2 ** 31 - 1);
  let inputs: Int32Array[];
  let labels: number[] | undefined;
  if (model.mnist) {
    if (start + images > 2000) throw new CliError(`--start ${start} --images ${images}: the held-out split has 2000 digits`);
    const data = heldOut(start + images);
    inputs = [];
    labels = [];
    for (let n = start; n < data.count; n++) {
      inputs.push(quantizeInput(model.net.input.tensor, imageOf(data, n)));
      labels.push(data.labels[n]!);
    }
  } else inputs = seededInputs(fitted, start + images, seed).slice(start);
  if (fitted.config.memory === 'axi') {
    // The AXI build has one kind (its program arrives over AXI): an --accel-build would be ignored silently.
    if (args.build !== undefined) throw new CliError(`--accel-build ${args.build} applies to the on-chip builds (memory=onchip) only: the AXI build loads its program from external memory; drop --accel-build`);
    // The replay of one failing input: the same model, settings and memory model (its stall seed is --seed).
    const mem = MEM_FLAG_KEYS.flatMap((k) => (args[k] === undefined ? [] : [` ${memFlagName(k)} ${args[k]}`])).join('');
    const replay = (from: number, count: number): string => `npm run pikehdl -- cosim --model ${args.model} --start ${from} --images ${count}${args.set.map((s) => ` --set ${s}`).join('')}${mem} --seed ${seed}`;
    // The test hook perturbs the network's output (the last layer's tensor), the only reference the AXI path compares.
    const last = model.net.layers[model.net.layers.length - 1]!.name;
    const perturbOutput = hooks.perturbReference === undefined ? undefined : (i: number, t: Int32Array): Int32Array => hooks.perturbReference!(i, last, Int32Array.from(t));
    return runCosimAxi(args, io, { model, program: fitted, inputs, labels, start, seed, replay, ...(perturbOutput ? { perturbOutput } : {}) });
  }

  // The frame's cycle budget comes with the frame (acceleratorFrame: twice the cycle model); the wall-clock
  // timeout must allow for it too: a 224x224 frame is millions of cycles, on a slow shared machine 10k cycles/s.
  const perFrame = programPerformance(fitted).cycles + 2 * fitted.input.height * fitted.input.width * fitted.input.channels + 4 * fitted.outputBeats;
  io.err.write(`cosim: ${model.label}: ${fitted.layers.length} layers, ${fitted.config.lanes}x${fitted.config.lanes} MAC array; building the Verilated accelerator (${buildKind} build)\n`);
  const timeoutMs = 120_000 + Math.ceil(perFrame / 10);
  const acc = await openAccelerator(buildKind as AccelBuildKind, model.net, fitted, { timeoutMs, log: (l) => io.err.write(`${l}\n`) });
  const { program, built, sim } = acc;
  const buildS = acc.buildSeconds;
  // Counters do not depend on the data: predicted once from the layer program.
  // (from the descriptors: interpreting a 224x224 program for them took 5-20 s.)
  const expectedCounters = expectedCounterValues(program);
  if (inputs.length > 0) phase(`memories loaded in ${acc.loadSeconds.toFixed(1)} s; running ${inputs.length} inference(s)`);
  const bar = io.err.isTTY === true ? new cliProgress.SingleBar({ stream: io.err, format: 'cosim [{bar}] {value}/{total} digits', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(inputs.length, 0);
  let correctRtl = 0;
  let correctRef = 0;
  let compared = 0;
  let first: { index: number; logit: number; rtl: number; ref: number } | undefined;
  let activity: { name: string; macs: number; outputElements: number }[] = [];
  let frameCycles = 0;
  let simNs = 0;
  let counterMismatch: string | undefined;
  const t1 = performance.now();
  try {
    // runInt for image i runs while the harness simulates it (onSent), not after its result.
    const refs = new Map<number, Int32Array>();
    const finalRef = (i: number): Int32Array => reference(i).get(model.net.layers[model.net.layers.length - 1]!.name)!;
    await runInferences(sim, program, inputs, (i, r) => {
      const ref = refs.get(i) ?? finalRef(i);
      refs.delete(i);
      ref.forEach((v, j) => {
        if (first === undefined && r.beats.output[j] !== v) first = { index: i, logit: j, rtl: r.beats.output[j]!, ref: v };
      });
      compared += ref.length;
      const counters = beatsToValues(r.beats).slice(ref.length + 1);
      if (counterMismatch === undefined && counters.some((v, j) => v !== expectedCounters[j])) counterMismatch = `image ${start + i}: counters ${counters.join(',')} differ from the layer program's ${expectedCounters.join(',')}`;
      if (labels !== undefined) {
        if (r.beats.predicted === labels[i]) correctRtl++;
        if (argmax(ref) === labels[i]) correctRef++;
      }
      activity = program.layers.map((d, k) => ({ name: d.name, macs: r.beats.layers[k]!.macs, outputElements: r.beats.layers[k]!.outputElements }));
      frameCycles += r.frameCycles;
      simNs += r.simNs;
      bar?.increment();
      if (bar === undefined && (i + 1) % 100 === 0) io.err.write(`cosim ${i + 1}/${inputs.length}\n`);
    }, 16, (i) => void refs.set(i, finalRef(i)));
  } finally {
    bar?.stop();
    await sim.close().catch(() => undefined);
  }
  const wallS = (performance.now() - t1) / 1000;
  const perf = programPerformance(program);
  const out = io.out;
  out(`accelerator cosim: ${model.label}, ${inputs.length} ${labels ? 'held-out digits' : `seeded random inputs (seed ${seed})`}, ${compared} logits compared`);
  if (labels) out(`  accuracy: RTL ${((100 * correctRtl) / inputs.length).toFixed(2)}%, reference (runInt) ${((100 * correctRef) / inputs.length).toFixed(2)}%`);
  out(`  cycles per inference: ${perf.cycles} compute (ideal ${perf.idealCycles}, ratio ${(perf.cycles / perf.idealCycles).toFixed(2)}), ${Math.round(frameCycles / inputs.length)} per frame with input load and output`);
  out(`  build: ${acc.kind}${acc.kind === 'loadable' ? ` (memories loaded in ${acc.loadSeconds.toFixed(1)} s)` : ''}`);
  out(`  utilization: MAC array ${(100 * perf.macArrayUtilization).toFixed(1)}% (pointwise ${(100 * perf.pointwiseUtilization).toFixed(1)}%), depthwise (array diagonal, ${program.config.lanes} multipliers) ${(100 * perf.depthwiseUtilization).toFixed(1)}%`);
  out('  per layer: name op cycles ideal utilization');
  for (const l of perf.layers) out(`    ${l.name.padEnd(12)} ${l.op.padEnd(16)} ${String(l.cycles).padStart(7)} ${String(l.idealCycles).padStart(7)} ${(100 * l.utilization).toFixed(1).padStart(6)}%`);
  if (model.float && model.recipe) {
    const sim2 = activityAcev2(model.float, model.recipe, activity);
    const ana = analyticAcev2(model.float, model.recipe);
    out(`  ACEv2 per inference: ${sim2.toExponential(6)} from simulated activity, ${ana.toExponential(6)} analytic (${sim2 === ana ? 'equal' : 'DIFFERENT'})`);
    if (sim2 !== ana) counterMismatch ??= 'ACEv2 from activity differs from the analytic tally';
  } else out('  ACEv2 per inference: needs the float network (built-in models only)');
  for (const line of formatPerformanceSummary(accelPerformanceReport(program, model.net))) out(`  ${line}`);
  out(`  wall: model and configuration ${setupS.toFixed(1)} s, build ${buildS.toFixed(1)} s, load ${acc.loadSeconds.toFixed(1)} s, ${inputs.length} inference(s) ${wallS.toFixed(1)} s (with runInt), ${((performance.now() - tStart) / 1000).toFixed(1)} s in all`);
  out(`  Verilator: ${(inputs.length / wallS).toFixed(1)} inferences/s end to end (wall, with runInt checking every digit), ${(inputs.length / (simNs / 1e9)).toFixed(1)} inferences/s inside the harness (${((frameCycles / simNs) * 1e3).toFixed(2)} M cycles/s); build ${buildS.toFixed(1)} s${built.cacheHit ? ' (cache hit)' : ''}`);
  if (first === undefined && counterMismatch === undefined) {
    out('  result: bit-exact');
    return true;
  }
  if (counterMismatch !== undefined) out(`  MISMATCH: ${counterMismatch}`);
  if (first !== undefined) {
    const f = first;
    out(`  MISMATCH: image ${start + f.index}, logit ${f.logit}: RTL ${f.rtl}, runInt ${f.ref}`);
    const schedule = locateMismatch(program, model.net, inputs[f.index]!);
    out(`  ${schedule.text}`);
    if (!schedule.differs) {
      // The schedule is right: find the first layer the RTL gets wrong by running the network's
      // prefixes on a loadable build of the same configuration.
      io.err.write('cosim: locating the first differing layer in the RTL (loadable build of the same configuration)\n');
      const loadable = { ...program.config, loadable: true };
      const lsim = await startSimulator(await buildLoadableAccelerator(loadable, (l) => io.err.write(`${l}\n`)), { timeoutMs: 120_000 });
      try {
        const ref = reference(f.index);
        const d = await firstDifferingLayer(lsim, loadable, model.net, inputs[f.index]!, (n) => ref.get(n)!);
        out(d === undefined ? '  every layer prefix agrees on the loadable build: the difference is in the ROM images or the output sequencer' : `  first differing layer in the RTL: "${d.name}" (layer ${d.layer}), pixel (y ${d.y}, x ${d.x}), channel ${d.channel}: RTL ${d.rtl}, runInt ${d.reference}`);
      } finally {
        await lsim.close().catch(() => undefined);
      }
    }
    const vcd = path.join(buildRoot(), 'vcd', `${program.network.replace(/[^A-Za-z0-9_]/g, '_')}-image${start + f.index}.vcd`);
    const written = await rerunWithTrace(built, acc.replayFrames(inputs[f.index]!), vcd);
    out(`  VCD of that inference: ${path.relative(process.cwd(), written)}`);
  }
  const idx = first !== undefined ? start + first.index : start;
  out(`  replay: npm run pikehdl -- cosim --model ${args.model} --start ${idx} --images 1${args.set.map((s) => ` --set ${s}`).join('')}${args.build !== undefined ? ` --accel-build ${args.build}` : ''}${labels ? '' : ` --seed ${seed}`}`);
  return false;
}
