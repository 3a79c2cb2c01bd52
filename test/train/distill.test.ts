// Knowledge distillation's loss (src/train/distill.ts): weight 0 is the plain cross-entropy bit for
// bit, the gradient matches central differences of the loss, a student equal to the teacher at T = 1
// and weight 1 has zero loss and gradient, and bad settings are refused by name.
import { describe, expect, it } from 'vitest';
import { distillConfigError, distillationLoss } from '../../src/train/distill.ts';
import { softmaxCrossEntropy } from '../../src/train/layers.ts';
import { seededRandom } from '../../src/quant/index.ts';

const classes = 10;
const batch = 3;
const labels = [2, 7, 0];

function logits(seed: number, scale: number): Float64Array {
  const rnd = seededRandom(seed);
  return Float64Array.from({ length: batch * classes }, () => (rnd.next() - 0.5) * scale);
}

describe('distillation loss', () => {
  it('with weight 0 is softmaxCrossEntropy exactly, loss and gradient', () => {
    const s = logits(1, 8);
    const g0 = new Float64Array(s.length);
    const g1 = new Float64Array(s.length);
    const ce = softmaxCrossEntropy(s, labels, g0, classes, batch);
    const kd = distillationLoss(s, logits(2, 8), labels, g1, classes, batch, { weight: 0, temperature: 3 });
    expect(kd).toBeCloseTo(ce, 12);
    let compared = 0;
    g0.forEach((v, i) => {
      expect(g1[i]).toBeCloseTo(v, 12);
      compared++;
    });
    expect(compared).toBe(batch * classes);
  });

  it('has the gradient of its loss (central differences), at several weights and temperatures', () => {
    let compared = 0;
    for (const c of [{ weight: 0.5, temperature: 1 }, { weight: 0.9, temperature: 4 }, { weight: 1, temperature: 2.5 }]) {
      const s = logits(3, 6);
      const t = logits(4, 6);
      const g = new Float64Array(s.length);
      distillationLoss(s, t, labels, g, classes, batch, c);
      const scratch = new Float64Array(s.length);
      for (let i = 0; i < s.length; i++) {
        const h = 1e-5;
        const up = Float64Array.from(s);
        const down = Float64Array.from(s);
        up[i] = up[i]! + h;
        down[i] = down[i]! - h;
        const numeric = (distillationLoss(up, t, labels, scratch, classes, batch, c) - distillationLoss(down, t, labels, scratch, classes, batch, c)) / (2 * h);
        expect(Math.abs(numeric - g[i]!)).toBeLessThan(1e-7);
        compared++;
      }
    }
    expect(compared).toBe(3 * batch * classes);
  });

  it('is zero, with zero gradient, for a student equal to its teacher when only the soft term counts', () => {
    const s = logits(5, 8);
    const g = new Float64Array(s.length);
    expect(distillationLoss(s, s, labels, g, classes, batch, { weight: 1, temperature: 2 })).toBeCloseTo(0, 12);
    for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-15);
  });

  it('refuses a weight outside [0, 1] or a temperature that is not positive, naming the field and the value', () => {
    expect(distillConfigError({ weight: 0.5, temperature: 1 })).toBeUndefined();
    expect(distillConfigError({ weight: 1.5, temperature: 1 })).toMatch(/distill\.weight is 1\.5: .*\[0, 1\]/);
    expect(distillConfigError({ weight: 0.5, temperature: 0 })).toMatch(/distill\.temperature is 0: .*positive/);
    expect(distillConfigError({ weight: Number.NaN, temperature: 1 })).toMatch(/distill\.weight is NaN/);
    expect(() => distillationLoss(logits(1, 1), logits(2, 1), labels, new Float64Array(batch * classes), classes, batch, { weight: -1, temperature: 1 })).toThrow(/distill\.weight is -1/);
  });
});
