// Benchmark: the reference model's integer pointwise convolution, in M MAC/s
// single-threaded, against the same loop compiled by g++ -O2 in the same run.
// Reported as a ratio (the machine is shared: absolute numbers move, the
// ratio less so). Both sides compute the same seeded operands and their
// output checksums must agree.
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pointwiseAccumulate } from '../../src/ref/index.ts';
import { seededRandom } from '../../src/quant/index.ts';
import { POINTWISE_CPP } from './pointwiseCpp.ts';

export interface ReferenceBenchResult {
  readonly shape: { readonly pixels: number; readonly inC: number; readonly outC: number };
  readonly macsPerRun: number;
  readonly tsMacPerSecond: number;
  /** The same register-blocked loop in C++ (g++ -O2). */
  readonly cppMacPerSecond: number;
  /** The naive triple loop in C++ (g++ -O2), for reference. */
  readonly cppNaiveMacPerSecond: number;
  /** cpp / ts for the same loop: how many times faster g++ -O2 is (target <= 3). */
  readonly slowdownVsCpp: number;
  readonly checksumsAgree: boolean;
  readonly compiler: string;
}

export interface ReferenceBenchOptions {
  readonly pixels?: number;
  readonly inC?: number;
  readonly outC?: number;
  readonly repeats?: number;
}

const checksum = (acc: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < acc.length; i++) s += acc[i]! * ((i % 7) + 1);
  return s;
};

export function runReferenceBench(options: ReferenceBenchOptions = {}): ReferenceBenchResult {
  const pixels = options.pixels ?? 28 * 28;
  const inC = options.inC ?? 128;
  const outC = options.outC ?? 128;
  const repeats = options.repeats ?? 15;
  const rnd = seededRandom(42);
  // 4-bit unsigned activations, 4-bit symmetric weights: the PikeLPN operands.
  const x = Int32Array.from({ length: pixels * inC }, () => Math.floor(rnd.next() * 16));
  const w = Int32Array.from({ length: outC * inC }, () => Math.floor(rnd.next() * 15) - 7);
  const acc = new Float64Array(pixels * outC);
  const macs = pixels * inC * outC;

  // Warm up until V8's optimising tier has compiled the kernel, so the timed runs measure it.
  for (let r = 0; r < 5; r++) pointwiseAccumulate(x, pixels, inC, w, outC, acc);
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    pointwiseAccumulate(x, pixels, inC, w, outC, acc);
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (dt < best) best = dt;
  }
  const tsSum = checksum(acc);

  const dir = fileURLToPath(new URL('../../build/bench-reference/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const src = join(dir, 'pointwise.cpp');
  const exe = join(dir, 'pointwise');
  const bin = join(dir, 'operands.bin');
  writeFileSync(src, POINTWISE_CPP);
  const header = Int32Array.from([pixels, inC, outC]);
  writeFileSync(bin, Buffer.concat([Buffer.from(header.buffer), Buffer.from(x.buffer), Buffer.from(w.buffer)]));
  execFileSync('g++', ['-O2', '-o', exe, src]);
  const [cppBest, cppNaive, cppSum, cppNaiveSum] = execFileSync(exe, [bin, String(repeats)], { encoding: 'utf8' }).trim().split(' ').map(Number) as [number, number, number, number];
  const compiler = execFileSync('g++', ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
  return {
    shape: { pixels, inC, outC },
    macsPerRun: macs,
    tsMacPerSecond: macs / best,
    cppMacPerSecond: macs / cppBest,
    cppNaiveMacPerSecond: macs / cppNaive,
    slowdownVsCpp: macs / cppBest / (macs / best),
    checksumsAgree: cppSum === tsSum && cppNaiveSum === tsSum,
    compiler,
  };
}
