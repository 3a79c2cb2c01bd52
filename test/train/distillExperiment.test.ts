// The distillation experiment's comparison (src/train/distillExperiment.ts): made from the committed
// family records, it refuses a record of another distillation, one on another float checkpoint, and
// a partial one, and pairs each seed with the family's model of the same id.
import { describe, expect, it } from 'vitest';
import { DISTILL_EXPERIMENT, checkExperiment, distillExperimentCommand, experimentSection } from '../../src/train/distillExperiment.ts';
import { readRecords, type FamilyRecord } from '../../src/train/familyRecords.ts';
import type { DistillConfig } from '../../src/train/distill.ts';

// The comparisons are built here, whichever recipe the committed family has: an experiment with
// distillation beside a family without, and the family's previous recipe beside a family with.
const LSQ: DistillConfig = { weight: 0.5, temperature: 1 };
const experiment = { ...DISTILL_EXPERIMENT, dir: 'models/family-distill', distill: LSQ };
const previous = { ...DISTILL_EXPERIMENT, dir: 'models/family-no-distill', distill: null };

/** The record as if trained with `distill`, with `delta` points on each QAT recipe. */
function retrained(r: FamilyRecord, delta: number, distill: DistillConfig | null): FamilyRecord {
  return {
    ...r,
    config: { ...r.config, distill },
    results: r.results.map((x) => {
      if (x.label !== 'pikelpn' && x.label !== 'conventional4') return x;
      const correct = x.correct + Math.round((delta * r.heldOutCount) / 100);
      return { ...x, correct, accuracy: (100 * correct) / r.heldOutCount };
    }),
  };
}

const family = readRecords('models/family').map((r) => retrained(r, 0, null));
const at4 = family.filter((r) => r.width === 4);

describe('distillation experiment', () => {
  it('compares each seed with the family model of its id', () => {
    expect(at4.length).toBe(3);
    const lines = experimentSection(experiment, family, at4.map((r) => retrained(r, 0.25, LSQ)), 98.5, 0.5);
    const rows = lines.filter((l) => l.startsWith('| 4x |'));
    expect(rows.length).toBe(2);
    expect(rows.find((l) => l.includes('| pikelpn |'))).toContain('s0 +0.25, s1 +0.25, s2 +0.25');
    // 4x is the family's widest width, so its line says where it stands against the widest-model target.
    expect(lines.find((l) => l.startsWith('- **4x with distillation:**'))).toMatch(/pikelpn 98\.\d\d ± \d\.\d\d \(3 seeds\) \((meets|misses) the widest-model target of 98\.5%\)/);
    expect(lines.join('\n')).toContain(`\`${distillExperimentCommand(experiment)}\``);
    expect(distillExperimentCommand(experiment)).toMatch(/--distill 0\.5,1 --float-from models\/family --out models\/family-distill$/);
    expect(distillExperimentCommand(DISTILL_EXPERIMENT)).toMatch(/--distill \S+ --float-from models\/family --out /);
    expect(experimentSection(experiment, family, [], 98.5, 0.5)).toEqual([]);
  });

  it('once the family distils, compares it with its previous recipe, the change still read as distillation\'s', () => {
    const distilled = at4.map((r) => retrained(r, 0.25, LSQ));
    const lines = experimentSection(previous, distilled, at4, 98.5, 0.5);
    expect(lines[0]).toMatch(/^## Without distillation at 4x: the family's previous recipe/);
    expect(lines.find((l) => l.startsWith('| 4x | pikelpn |'))).toContain('s0 +0.25, s1 +0.25, s2 +0.25');
    expect(lines.join('\n')).toContain('--distill none --float-from models/family --out models/family-no-distill');
    // The previous recipe's models must be the ones without distillation.
    expect(() => experimentSection(previous, distilled, distilled, 98.5, 0.5)).toThrow(/was trained with distillation \{/);
  });

  it('refuses another distillation, another float checkpoint, and a partial record, naming the model', () => {
    const r = at4[0]!;
    expect(() => checkExperiment(experiment, family, [retrained(r, 0, { weight: 0.9, temperature: 4 })])).toThrow(new RegExp(`${r.id} was trained with distillation`));
    expect(() => checkExperiment(experiment, family, [r])).toThrow(/trained with distillation null/);
    const otherFloat = { ...retrained(r, 0, LSQ), results: r.results.map((x) => (x.label === 'float32' ? { ...x, accuracy: x.accuracy - 0.05 } : x)) };
    expect(() => checkExperiment(experiment, family, [otherFloat])).toThrow(/not the same float checkpoint/);
    expect(() => checkExperiment(experiment, family, [{ ...retrained(r, 0, LSQ), partial: true }])).toThrow(/partial record/);
    expect(() => checkExperiment(experiment, family, [{ ...retrained(r, 0, LSQ), id: 'mnist_sep_w8-s0' }])).toThrow(/no model of the same id/);
  });
});
