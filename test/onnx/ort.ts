// ONNX Runtime (onnxruntime-web's WebAssembly build, no native backend loaded in
// this process) as the oracle for imported and exported networks.
import * as ort from 'onnxruntime-web';
import { runFloat } from '../../src/ref/index.ts';
import type { FloatNetwork } from '../../src/model/index.ts';
import { chwToHwc, hwcToChw } from '../../src/onnx/index.ts';

ort.env.wasm.numThreads = 1;

export async function ortSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
}

/** Run a session on one NCHW input; returns the output flattened (NCHW order) and its dims. */
export async function ortRun(s: ort.InferenceSession, chw: Float32Array, dims: readonly number[]): Promise<{ data: Float64Array; dims: readonly number[] }> {
  const r = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', chw, [...dims]) });
  const o = r[s.outputNames[0]!]!;
  return { data: Float64Array.from(o.data as Float32Array), dims: o.dims };
}

/** Seeded uniform [0, 1) values, rounded to fp32 (what ORT is fed). */
export function randomInput(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}

export interface Comparison {
  readonly compared: number;
  /** max |pikehdl - ORT| / max |ORT| over the output. */
  readonly relError: number;
}

/**
 * runFloat (double precision) against ORT (fp32) on one NCHW input. The error
 * is relative to the output's largest magnitude: per-element relative error is
 * meaningless for outputs near 0. The two differ by float summation order and
 * fp32 rounding of ORT's accumulators (about 1e-7 to 1e-5 of the output scale).
 */
export async function compareWithOrt(net: FloatNetwork, s: ort.InferenceSession, chw: Float32Array, flatInput = false): Promise<Comparison> {
  const { height: h, width: w, channels: c } = net.input;
  const ref = await ortRun(s, chw, flatInput ? [1, c] : [1, c, h, w]);
  const ours = runFloat(net, chwToHwc(chw, c, h, w)).output;
  // ORT's output is NCHW; pikehdl's NHWC: bring ORT's into pikehdl's order.
  const d = ref.dims;
  const theirs = d.length === 4 ? chwToHwc(ref.data, d[1]!, d[2]!, d[3]!) : ref.data;
  if (theirs.length !== ours.length) throw new Error(`output sizes differ: ORT ${theirs.length}, pikehdl ${ours.length}`);
  let maxRef = 0;
  let maxDiff = 0;
  for (let i = 0; i < ours.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(theirs[i]!));
    maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - theirs[i]!));
  }
  if (!Number.isFinite(maxDiff)) throw new Error('non-finite output');
  return { compared: ours.length, relError: maxRef === 0 ? maxDiff : maxDiff / maxRef };
}

export { hwcToChw };
