// The distillation experiment's comparison (src/train/distillExperiment.ts): made from the committed
// family records, it refuses a record of another distillation, one on another float checkpoint, and
// a partial one, and pairs each seed with the family's model of the same id.
import { describe, expect, it } from 'vitest';
import { DISTILL_EXPERIMENT, checkExperiment, experimentSection } from '../../src/train/distillExperiment.ts';
import { readRecords, type FamilyRecord } from '../../src/train/familyRecords.ts';

const family = readRecords('models/family');
const at4 = family.filter((r) => r.width === 4);

/** The family's record as if retrained with distillation, with `delta` points on each QAT recipe. */
function retrained(r: FamilyRecord, delta: number, distill = DISTILL_EXPERIMENT.distill): FamilyRecord {
  return {
    ...r,
    config: { ...r.config, distill },
    results: r.results.map((x) => (x.label === 'pikelpn' || x.label === 'conventional4' ? { ...x, accuracy: x.accuracy + delta } : x)),
  };
}

describe('distillation experiment', () => {
  it('compares each seed with the family model of its id', () => {
    expect(at4.length).toBe(3);
    const lines = experimentSection(DISTILL_EXPERIMENT, family, at4.map((r) => retrained(r, 0.25)), 98.5, 0.5);
    const rows = lines.filter((l) => l.startsWith('| 4x |'));
    expect(rows.length).toBe(2);
    expect(rows.find((l) => l.includes('| pikelpn |'))).toContain('s0 +0.25, s1 +0.25, s2 +0.25');
    expect(lines.join('\n')).toContain(`--distill ${DISTILL_EXPERIMENT.distill.weight},${DISTILL_EXPERIMENT.distill.temperature} --float-from models/family --out ${DISTILL_EXPERIMENT.dir}`);
    expect(experimentSection(DISTILL_EXPERIMENT, family, [], 98.5, 0.5)).toEqual([]);
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
