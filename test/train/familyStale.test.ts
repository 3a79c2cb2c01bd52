// Which stages family.ts runs again (src/train/familyStale.ts): --redo retrains only QAT stages
// from an earlier QAT or without the best-step selection, a record evaluated on other stages than
// those on disk is redone, and a retrained stage re-evaluates the model.
import { describe, expect, it } from 'vitest';
import { distillMismatch, recordIsStale, redoesStage, stagesToRun, type QatStageFacts } from '../../src/train/familyStale.ts';
import type { Stage } from '../../src/train/familyConfig.ts';

const current: QatStageFacts = { qat: 'integer', selection: {} };
const noSelection: QatStageFacts = { qat: 'integer' };
const fakeQuant: QatStageFacts = { selection: {} };
const all = (): boolean => true;

describe('family: what runs again', () => {
  it('--redo retrains a QAT stage trained without the selection or by an earlier pikelpn QAT, and nothing else', () => {
    expect(redoesStage('qat-pikelpn', current, 'qat')).toBe(false);
    expect(redoesStage('qat-pikelpn', noSelection, 'qat')).toBe(true);
    expect(redoesStage('qat-pikelpn', fakeQuant, 'qat-pikelpn')).toBe(true);
    expect(redoesStage('qat-conventional4', { selection: {} }, 'qat')).toBe(false);
    expect(redoesStage('qat-conventional4', {}, 'qat')).toBe(true);
    // --redo qat-pikelpn leaves conventional4 alone; no --redo, or an unfinished stage, retrains nothing.
    expect(redoesStage('qat-conventional4', {}, 'qat-pikelpn')).toBe(false);
    expect(redoesStage('qat-pikelpn', noSelection, undefined)).toBe(false);
    expect(redoesStage('qat-pikelpn', undefined, 'qat')).toBe(false);
  });

  it('a record evaluated on other QAT stages than those on disk is stale', () => {
    const logs = { 'qat-pikelpn': current, 'qat-conventional4': { selection: {} } };
    expect(recordIsStale({ pikelpnQat: 'integer', selection: { 'qat-pikelpn': {}, 'qat-conventional4': {} } }, logs)).toBe(false);
    expect(recordIsStale({ pikelpnQat: 'integer', selection: { 'qat-pikelpn': {} } }, logs)).toBe(true);
    expect(recordIsStale({ selection: { 'qat-pikelpn': {}, 'qat-conventional4': {} } }, logs)).toBe(true); // fake-quant record, integer stage
    expect(recordIsStale(undefined, logs)).toBe(false);
    // A stage log from before the integer QAT (no qat field) against a record of the integer QAT.
    expect(recordIsStale({ pikelpnQat: 'integer', selection: { 'qat-pikelpn': {}, 'qat-conventional4': {} } }, { ...logs, 'qat-pikelpn': { selection: {} } })).toBe(true);
  });

  it('a stage trained with another distillation than the run\'s is redone by --redo, refused without it, and makes its record stale', () => {
    const kd = { weight: 0.5, temperature: 1 };
    const withKd: QatStageFacts = { ...current, distill: kd };
    // Logs from before distillation existed (no field) and null both mean none.
    expect(redoesStage('qat-pikelpn', current, 'qat', null)).toBe(false);
    expect(redoesStage('qat-pikelpn', { ...current, distill: null }, 'qat', null)).toBe(false);
    expect(redoesStage('qat-pikelpn', current, 'qat', kd)).toBe(true);
    expect(redoesStage('qat-conventional4', withKd, 'qat', { weight: 0.5, temperature: 2 })).toBe(true);
    expect(redoesStage('qat-conventional4', withKd, 'qat', { ...kd })).toBe(false);
    // --redo qat-pikelpn does not retrain conventional4's, so that one is refused.
    expect(distillMismatch({ 'qat-pikelpn': current, 'qat-conventional4': current }, 'qat-pikelpn', kd)).toEqual(['qat-conventional4']);
    expect(distillMismatch({ 'qat-pikelpn': current, 'qat-conventional4': current }, undefined, kd)).toEqual(['qat-pikelpn', 'qat-conventional4']);
    expect(distillMismatch({ 'qat-pikelpn': current, 'qat-conventional4': current }, 'qat', kd)).toEqual([]);
    expect(distillMismatch({ 'qat-pikelpn': withKd }, undefined, kd)).toEqual([]);
    const sel = { 'qat-pikelpn': {}, 'qat-conventional4': {} };
    expect(recordIsStale({ pikelpnQat: 'integer', selection: sel, config: { distill: kd } }, { 'qat-pikelpn': withKd, 'qat-conventional4': withKd })).toBe(false);
    expect(recordIsStale({ pikelpnQat: 'integer', selection: sel, config: { distill: null } }, { 'qat-pikelpn': withKd, 'qat-conventional4': current })).toBe(true);
    expect(recordIsStale({ pikelpnQat: 'integer', selection: sel }, { 'qat-pikelpn': current, 'qat-conventional4': current })).toBe(false);
  });

  it('runs the unfinished and the stale stages, and the evaluation after any of them', () => {
    expect(stagesToRun(all, [], false)).toEqual([]);
    expect(stagesToRun(all, ['qat-conventional4'], false)).toEqual(['qat-conventional4', 'evaluate']);
    expect(stagesToRun(all, [], true)).toEqual(['evaluate']);
    expect(stagesToRun((s: Stage) => s === 'float', [], false)).toEqual(['qat-pikelpn', 'qat-conventional4', 'evaluate']);
  });
});
