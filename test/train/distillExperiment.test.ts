// The distillation experiment's comparison (src/train/distillExperiment.ts): made from the committed
// family records, it refuses a record of another distillation, one on another float checkpoint, and
// a partial one, and pairs each seed with the family's model of the same id.
import { describe, expect, it } from 'vitest';
import { DISTILL_EXPERIMENT, checkExperiment, distillExperimentCommand, experimentSection } from '../../src/train/distillExperiment.ts';
import { readRecords, type FamilyRecord } from '../../src/train/familyRecords.ts';
import type { DistillConfig } from '../../src/train/distill.ts';

const family = readRecords('models/family');
const at4 = family.filter((r) => r.width === 4);

/** The family's record as if retrained with distillation, with `delta` points on each QAT recipe. */
function retrained(r: FamilyRecord, delta: number, distill: DistillConfig | null = DISTILL_EXPERIMENT.distill): FamilyRecord {
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

describe('distillation experiment', () => {
  it('compares each seed with the family model of its id', () => {
    expect(at4.length).toBe(3);
    const lines = experimentSection(DISTILL_EXPERIMENT, family, at4.map((r) => retrained(r, 0.25)), 98.5, 0.5);
    const rows = lines.filter((l) => l.startsWith('| 4x |'));
    expect(rows.length).toBe(2);
    expect(rows.find((l) => l.includes('| pikelpn |'))).toContain('s0 +0.25, s1 +0.25, s2 +0.25');
    // 4x is the family's widest width, so its line says where it stands against the widest-model target.
    expect(lines.find((l) => l.startsWith('- **4x with distillation:**'))).toMatch(/pikelpn 98\.\d\d ± \d\.\d\d \(3 seeds\) \((meets|misses) the widest-model target of 98\.5%\)/);
    expect(lines.join('\n')).toContain(`\`${distillExperimentCommand(DISTILL_EXPERIMENT)}\``);
    expect(distillExperimentCommand(DISTILL_EXPERIMENT)).toMatch(/--distill \S+ --float-from models\/family --out /);
    expect(experimentSection(DISTILL_EXPERIMENT, family, [], 98.5, 0.5)).toEqual([]);
  });

  it('once the family distils, compares it with its previous recipe, the change still read as distillation\'s', () => {
    const previous = { ...DISTILL_EXPERIMENT, dir: 'models/family-no-distill', distill: null };
    const distilled = at4.map((r) => retrained(r, 0.25));
    const lines = experimentSection(previous, distilled, at4, 98.5, 0.5);
    expect(lines[0]).toMatch(/^## Without distillation at 4x: the family's previous recipe/);
    expect(lines.find((l) => l.startsWith('| 4x | pikelpn |'))).toContain('s0 +0.25, s1 +0.25, s2 +0.25');
    expect(lines.join('\n')).toContain('--distill none --float-from models/family --out models/family-no-distill');
    // The previous recipe's models must be the ones without distillation.
    expect(() => experimentSection(previous, distilled, distilled, 98.5, 0.5)).toThrow(/was trained with distillation \{/);
  });

  it('refuses another distillation, another float checkpoint, and a partial record, naming the model', () => {
    const r = at4[0]!;
    expect(() => checkExperiment(DISTILL_EXPERIMENT, family, [retrained(r, 0, { weight: 0.9, temperature: 4 })])).toThrow(new RegExp(`${r.id} was trained with distillation`));
    expect(() => checkExperiment(DISTILL_EXPERIMENT, family, [{ ...r, config: { ...r.config, distill: null } }])).toThrow(/trained with distillation null/);
    const otherFloat = { ...retrained(r, 0), results: r.results.map((x) => (x.label === 'float32' ? { ...x, accuracy: x.accuracy - 0.05 } : x)) };
    expect(() => checkExperiment(DISTILL_EXPERIMENT, family, [otherFloat])).toThrow(/not the same float checkpoint/);
    expect(() => checkExperiment(DISTILL_EXPERIMENT, family, [{ ...retrained(r, 0), partial: true }])).toThrow(/partial record/);
    expect(() => checkExperiment(DISTILL_EXPERIMENT, family, [{ ...retrained(r, 0), id: 'mnist_sep_w8-s0' }])).toThrow(/no model of the same id/);
  });
});
