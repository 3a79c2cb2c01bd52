// DHQ on synthetic heterogeneous tensors (seed 7): a depthwise tensor (32
// channels x 9 weights, channel magnitudes log-uniform over 2 decades) and a
// pointwise tensor (64 x 32, narrow Gaussian bell, 0.5% of weights 8x larger).
// DHQ picks a scheme per tensor; a homogeneous scheme uses one for both.
// Metric: expected output error for post-ReLU inputs (src/quant/dhq.ts),
// summed over the two tensors, at equal bits.
//
// Measured (seed 7), sum of the two tensors' errors:
//   3 bits: per-tensor/max 0.797, per-tensor/mse 0.381, per-channel/max 0.0845,
//           per-channel/mse 0.0799, DHQ 0.0794 (depthwise keeps max, pointwise clips)
//   4 bits: per-channel/max 0.0219, per-channel/mse 0.0186 = DHQ (both tensors choose mse)
import { describe, expect, it } from 'vitest';
import { chooseWeightScheme, quantizeTensor, dequantize, expectedOutputError, seededRandom, DHQ_CANDIDATES, RECIPES, type TensorLayout } from '../../src/quant/index.ts';

function syntheticSeparable(seed: number): { dw: Float64Array; pw: Float64Array; dwLayout: TensorLayout; pwLayout: TensorLayout } {
  const rnd = seededRandom(seed);
  const c = 32;
  const dw = new Float64Array(9 * c);
  const chScale = Array.from({ length: c }, () => 10 ** rnd.uniform(-2, 0));
  for (let k = 0; k < 9; k++) for (let ch = 0; ch < c; ch++) dw[k * c + ch] = chScale[ch]! * rnd.gaussian();
  const pw = new Float64Array(64 * c);
  for (let i = 0; i < pw.length; i++) pw[i] = 0.05 * rnd.gaussian() * (rnd.next() < 0.005 ? 8 : 1);
  return { dw, pw, dwLayout: { channels: c, axis: 'inner' }, pwLayout: { channels: 64, axis: 'outer' } };
}

function table(bits: number) {
  const { dw, pw, dwLayout, pwLayout } = syntheticSeparable(7);
  const dwChoice = chooseWeightScheme(dw, dwLayout, bits);
  const pwChoice = chooseWeightScheme(pw, pwLayout, bits);
  const dhq = dwChoice.error + pwChoice.error;
  const rows = [
    `DHQ at ${bits} bits (seed 7): depthwise -> ${dwChoice.scheme.granularity}/${dwChoice.scheme.clipping} (channel spread ${dwChoice.statistics.channelSpread.toFixed(1)}), pointwise -> ${pwChoice.scheme.granularity}/${pwChoice.scheme.clipping} (excess kurtosis ${pwChoice.statistics.excessKurtosis.toFixed(1)})`,
    `  ${'scheme'.padEnd(28)} ${'depthwise'.padStart(10)} ${'pointwise'.padStart(10)} ${'sum'.padStart(10)}`,
  ];
  const homogeneous = DHQ_CANDIDATES.map((cand) => {
    const spec = { bits, symmetric: true, powerOfTwoScale: false, ...cand };
    const e1 = expectedOutputError(dw, dequantize(quantizeTensor(dw, dwLayout, spec)), dwLayout);
    const e2 = expectedOutputError(pw, dequantize(quantizeTensor(pw, pwLayout, spec)), pwLayout);
    rows.push(`  ${`homogeneous ${cand.granularity}/${cand.clipping}`.padEnd(28)} ${e1.toFixed(5).padStart(10)} ${e2.toFixed(5).padStart(10)} ${(e1 + e2).toFixed(5).padStart(10)}`);
    return { ...cand, sum: e1 + e2 };
  });
  rows.push(`  ${'DHQ'.padEnd(28)} ${dwChoice.error.toFixed(5).padStart(10)} ${pwChoice.error.toFixed(5).padStart(10)} ${dhq.toFixed(5).padStart(10)}`);
  console.log(rows.join('\n'));
  return { dhq, homogeneous, dwChoice, pwChoice };
}

describe('Distribution-Heterogeneous Quantization (seed 7)', () => {
  it('at 3 bits the tensors choose different schemes and DHQ is below every homogeneous scheme (0.0794 vs best 0.0799)', () => {
    const { dhq, homogeneous, dwChoice, pwChoice } = table(3);
    expect(dwChoice.scheme).not.toEqual(pwChoice.scheme);
    for (const h of homogeneous) expect(dhq).toBeLessThan(h.sum);
  });

  it('at 4 bits DHQ is below the conventional homogeneous scheme and never above any (ties per-channel/mse)', () => {
    const { dhq, homogeneous } = table(4);
    const conventional = RECIPES.conventional4.weightScheme;
    const conv = homogeneous.find((h) => h.granularity === conventional.granularity && h.clipping === conventional.clipping)!;
    expect(dhq).toBeLessThan(conv.sum);
    for (const h of homogeneous) expect(dhq).toBeLessThanOrEqual(h.sum);
  });
});
