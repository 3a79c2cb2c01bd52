/**
 * Batch norm (and a bias) folded into one affine map per output channel:
 *   y_c = g_c * (acc_c + bias_c - mean_c) + beta_c = g_c * acc_c + off_c,
 *   g_c = gamma_c / sqrt(var_c + eps),  off_c = g_c * (bias_c - mean_c) + beta_c.
 * Without batch norm, g_c = 1 and off_c = bias_c. One function, because the
 * compiler (compileWeighted.ts) and the integer QAT's forward pass
 * (src/train) must fold bit-identically for the QAT to train the network
 * compile builds: the expressions and their evaluation order are the rule.
 */
export interface BatchNormStats {
  readonly gamma: ArrayLike<number>;
  readonly beta: ArrayLike<number>;
  readonly mean: ArrayLike<number>;
  readonly variance: ArrayLike<number>;
}

export function foldBatchNorm(channels: number, bn: BatchNormStats | undefined, epsilon: number, bias?: ArrayLike<number>): { g: number[]; off: number[] } {
  const g = Array.from({ length: channels }, (_, c) => (bn ? bn.gamma[c]! / Math.sqrt(bn.variance[c]! + epsilon) : 1));
  const off = Array.from({ length: channels }, (_, c) => (bn ? g[c]! * ((bias?.[c] ?? 0) - bn.mean[c]!) + bn.beta[c]! : (bias?.[c] ?? 0)));
  return { g, off };
}
