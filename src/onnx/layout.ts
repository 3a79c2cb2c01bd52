/**
 * Weight layout conversions between ONNX (NCHW activations, OIHW kernels,
 * flatten in C,H,W order) and pikehdl (NHWC activations, see
 * src/model/network.ts). Each is a pure index permutation: values are moved,
 * never changed, so conversions are exact and each pair is inverse.
 */

/** Conv OIHW [O][I][k][k] -> pikehdl conv2d [O][k][k][I]. */
export function convFromOihw(w: ArrayLike<number>, o: number, i: number, k: number): number[] {
  const out = new Array<number>(o * k * k * i);
  for (let oc = 0; oc < o; oc++)
    for (let ic = 0; ic < i; ic++)
      for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) out[((oc * k + y) * k + x) * i + ic] = w[((oc * i + ic) * k + y) * k + x]!;
  return out;
}

/** pikehdl conv2d [O][k][k][I] -> OIHW. */
export function convToOihw(w: ArrayLike<number>, o: number, i: number, k: number): number[] {
  const out = new Array<number>(o * k * k * i);
  for (let oc = 0; oc < o; oc++)
    for (let ic = 0; ic < i; ic++)
      for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) out[((oc * i + ic) * k + y) * k + x] = w[((oc * k + y) * k + x) * i + ic]!;
  return out;
}

/** Depthwise [C][1][k][k] -> pikehdl depthwiseConv2d [k][k][C]. */
export function depthwiseFromOihw(w: ArrayLike<number>, c: number, k: number): number[] {
  const out = new Array<number>(c * k * k);
  for (let ch = 0; ch < c; ch++) for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) out[(y * k + x) * c + ch] = w[(ch * k + y) * k + x]!;
  return out;
}

export function depthwiseToOihw(w: ArrayLike<number>, c: number, k: number): number[] {
  const out = new Array<number>(c * k * k);
  for (let ch = 0; ch < c; ch++) for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) out[(ch * k + y) * k + x] = w[(y * k + x) * c + ch]!;
  return out;
}

/**
 * Dense weights. ONNX flattens [1, C, H, W] in C,H,W order, pikehdl flattens
 * its H,W,C tensor in H,W,C order: row o of the pikehdl matrix at index
 * (y*W + x)*C + c holds ONNX's column c*H*W + y*W + x. `transposed` is ONNX's
 * B given as [K][N] (Gemm transB = 0, MatMul) rather than [N][K].
 */
export function denseFromOnnx(b: ArrayLike<number>, outF: number, c: number, h: number, w: number, transposed: boolean): number[] {
  const k = c * h * w;
  const out = new Array<number>(outF * k);
  for (let o = 0; o < outF; o++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) {
          const col = (ch * h + y) * w + x;
          out[o * k + (y * w + x) * c + ch] = transposed ? b[col * outF + o]! : b[o * k + col]!;
        }
  return out;
}

/** pikehdl dense [outF][H*W*C] -> ONNX Gemm B with transB = 1, [outF][C*H*W]. */
export function denseToOnnx(wt: ArrayLike<number>, outF: number, c: number, h: number, w: number): number[] {
  const k = c * h * w;
  const out = new Array<number>(outF * k);
  for (let o = 0; o < outF; o++)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) out[o * k + (ch * h + y) * w + x] = wt[o * k + (y * w + x) * c + ch]!;
  return out;
}

/** NCHW (without N) -> NHWC (without N): for running ONNX Runtime and pikehdl on the same input. */
export function chwToHwc(x: ArrayLike<number>, c: number, h: number, w: number): Float64Array {
  const out = new Float64Array(c * h * w);
  for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) out[i * c + ch] = x[ch * h * w + i]!;
  return out;
}

export function hwcToChw(x: ArrayLike<number>, c: number, h: number, w: number): Float64Array {
  const out = new Float64Array(c * h * w);
  for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) out[ch * h * w + i] = x[i * c + ch]!;
  return out;
}

/**
 * The shortest decimal that rounds to the same fp32 value. ONNX float
 * attributes (batch-norm epsilon, LeakyRelu alpha) are fp32, so torch's
 * eps = 1e-5 arrives as 9.99999974737875e-6; reading it back as 1e-5 keeps the
 * value the model's author wrote (as numpy prints it).
 */
export function shortestFp32Decimal(v: number): number {
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return f;
}
