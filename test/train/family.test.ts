// The family driver's building blocks: the width-multiplied architecture,
// augmentation (deterministic, identity at zero), the schedule, the
// resumability markers and atomic writes, and the over-seeds summary.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mnistTiny } from '../../src/networks/mnistTiny.ts';
import { mnistSeparable, mnistSeparableName } from '../../src/networks/mnistSeparable.ts';
import { seededRandom } from '../../src/quant/index.ts';
import { augmentBatch, warpImage, DEFAULT_AUGMENT } from '../../src/train/augment.ts';
import { FAMILY_CONFIG, copyFloatStage, parseNumberList, planJobs, stageDone, stageLogPath, stageNetworkPath, writeAtomic } from '../../src/train/familyConfig.ts';
import { countsOf, meanAtLeast, meanGapAtMost, summarise, fmtSummary } from '../../src/train/familyRecords.ts';
import { calibrateClips, createModel, scheduleLr, trainPhaseControlled, type Model, type PhaseCheckpoint, type PhaseConfig } from '../../src/train/train.ts';

const image = (): Float64Array => Float64Array.from({ length: 784 }, (_, i) => ((i * 37) % 101) / 100);

describe('mnistSeparable', () => {
  it('width 1 is mnistTiny under another name; width 2 doubles every channel count', () => {
    expect({ ...mnistSeparable(1), name: 'mnist_tiny' }).toEqual(mnistTiny());
    const outs = (w: number): number[] => mnistSeparable(w).layers.flatMap((l) => (l.op === 'conv2d' ? [l.outChannels] : []));
    expect(outs(2)).toEqual([16, 32, 64, 64]);
    expect(outs(0.5)).toEqual([4, 8, 16, 16]);
    expect(mnistSeparableName(0.5)).toBe('mnist_sep_w0p5');
    expect(() => mnistSeparable(0)).toThrow(/width multiplier 0/);
  });
});

describe('augmentation', () => {
  it('is the identity with every range at zero, and a whole-pixel shift moves pixels exactly', () => {
    const src = image();
    const a = src.slice();
    augmentBatch(a, 1, { maxShift: 0, maxRotateDeg: 0, maxScale: 0 }, seededRandom(1), new Float64Array(784));
    expect(Array.from(a)).toEqual(Array.from(src));
    const out = new Float64Array(784);
    warpImage(src, 0, out, 0, 0, 1, 1, 0); // one pixel to the right
    let compared = 0;
    for (let y = 0; y < 28; y++) {
      expect(out[y * 28]).toBe(0);
      for (let x = 1; x < 28; x++, compared++) expect(out[y * 28 + x]).toBe(src[y * 28 + x - 1]);
    }
    expect(compared).toBe(28 * 27);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const run = (seed: number): number[] => {
      const one = image();
      const b = Float64Array.from({ length: 2 * 784 }, (_, i) => one[i % 784]!);
      augmentBatch(b, 2, DEFAULT_AUGMENT, seededRandom(seed), new Float64Array(784));
      return Array.from(b);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });
});

describe('schedule', () => {
  it('without warm-up is the cosine mnist_tiny was trained with; with it, rises linearly then decays', () => {
    for (const t of [0, 0.25, 0.5, 1]) expect(scheduleLr(1, t, 0)).toBe(0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * t)));
    expect(scheduleLr(1, 0, 0.1)).toBeCloseTo(0.02, 12);
    expect(scheduleLr(1, 0.05, 0.1)).toBeCloseTo(0.51, 12);
    expect(scheduleLr(1, 0.1, 0.1)).toBeCloseTo(1, 12);
    expect(scheduleLr(1, 1, 0.1)).toBeCloseTo(0.02, 12);
  });
});

describe('resumability', () => {
  const root = mkdtempSync(join(tmpdir(), 'pikehdl-family-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const job = { width: 1, seed: 0 };

  it('a stage is finished only when both its log and its network file exist', () => {
    expect(stageDone(root, job, 'float')).toBe(false);
    mkdirSync(join(root, 'mnist_sep_w1-s0'), { recursive: true });
    writeFileSync(stageNetworkPath(root, job, 'float'), '{}');
    expect(stageDone(root, job, 'float')).toBe(false);
    writeFileSync(stageLogPath(root, job, 'float'), '{}');
    expect(stageDone(root, job, 'float')).toBe(true);
    expect(stageDone(root, job, 'evaluate')).toBe(false);
  });

  it('writeAtomic leaves the complete file and no temporary file', () => {
    const p = join(root, 'sub', 'x.json');
    writeAtomic(p, 'hello\n');
    writeAtomic(p, 'again\n');
    expect(readdirSync(join(root, 'sub'))).toEqual(['x.json']);
    expect(existsSync(p)).toBe(true);
  });

  it('--float-from copies a finished float stage byte for byte, never over one, and refuses a model without one', () => {
    const other = join(root, 'experiment');
    expect(copyFloatStage(root, other, job)).toBe(true);
    expect(stageDone(other, job, 'float')).toBe(true);
    expect(readFileSync(stageNetworkPath(other, job, 'float'), 'utf8')).toBe(readFileSync(stageNetworkPath(root, job, 'float'), 'utf8'));
    writeFileSync(stageNetworkPath(other, job, 'float'), '{"kept":true}');
    expect(copyFloatStage(root, other, job)).toBe(false);
    expect(readFileSync(stageNetworkPath(other, job, 'float'), 'utf8')).toBe('{"kept":true}');
    expect(() => copyFloatStage(root, other, { width: 2, seed: 0 })).toThrow(/--float-from: mnist_sep_w2-s0 has no finished float stage in /);
  });

  it('plans seed-major and rejects a bad list naming the option', () => {
    expect(planJobs([1, 0.5], [0, 1])).toEqual([{ width: 1, seed: 0 }, { width: 0.5, seed: 0 }, { width: 1, seed: 1 }, { width: 0.5, seed: 1 }]);
    expect(() => parseNumberList('0,x', '--seeds', true)).toThrow('--seeds: "x" is not a non-negative integer');
    expect(() => parseNumberList('1.5', '--seeds', true)).toThrow('--seeds');
  });
});

describe('the family recipe', () => {
  it('DHQ is frozen over every epoch the best-step selection can keep, so the kept state trained with the schemes the network file records', () => {
    // The results' "DHQ choice changed after last epoch" column compares with the last epoch's schemes:
    // valid only while no kept state can come from an epoch before the freeze.
    expect(FAMILY_CONFIG.dhqFreezeEpochs).toBeGreaterThanOrEqual(FAMILY_CONFIG.frozenBnEpochs);
  });
});

describe('summary over seeds', () => {
  it('mean and sample standard deviation; one seed has none', () => {
    const s = summarise([97, 98, 99]);
    expect(s.mean).toBe(98);
    expect(s.std).toBe(1);
    expect(fmtSummary(s)).toBe('98.00 ± 1.00 (3 seeds)');
    expect(fmtSummary(summarise([97.5]))).toBe('97.50 (1 seed)');
  });

  it('targets are checked on exact counts: a mean of exactly the target meets it even where the float mean falls short', () => {
    const c = { correct: [1600, 1600, 1609], of: 2000 };
    // The float mean of 80.00, 80.00 and 80.45 is 80.14999999999999, under 80.15.
    expect(summarise(c.correct.map((x) => (100 * x) / c.of)).mean).toBeLessThan(80.15);
    expect(meanAtLeast(c, 80.15)).toBe(true);
    expect(meanAtLeast({ correct: [1600, 1600, 1608], of: 2000 }, 80.15)).toBe(false);
    expect(meanAtLeast({ correct: [1972, 1971, 1967], of: 2000 }, 98.5)).toBe(true);
    // A gap of exactly 0.5 points is within 0.5; one digit more is not.
    expect(meanGapAtMost({ correct: [1900, 1900], of: 2000 }, { correct: [1910, 1910], of: 2000 }, 0.5)).toBe(true);
    expect(meanGapAtMost({ correct: [1900, 1900], of: 2000 }, { correct: [1910, 1911], of: 2000 }, 0.5)).toBe(false);
    expect(meanGapAtMost({ correct: [1950], of: 2000 }, { correct: [1900, 1910], of: 2000 }, 0.5)).toBe(true);
    expect(() => countsOf([{ correct: 1, of: 2000, id: 'a' }, { correct: 1, of: 1000, id: 'b' }])).toThrow(/b: scored on 1000 held-out digits, a on 2000/);
  });
});

describe('epoch checkpoints', () => {
  // Synthetic digits: enough to exercise every stream (shuffle, augmentation, DHQ, frozen BN) in well under a second.
  const count = 48;
  const rnd = seededRandom(5);
  const data = { images: Float64Array.from({ length: count * 784 }, () => (rnd.next() < 0.2 ? rnd.next() : 0)), labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
  const phase = (qat: 'pikelpn' | null): PhaseConfig => ({ epochs: 3, lr: 3e-3, qat, frozenBnEpochs: qat ? 1 : 0, seed: 9, batch: 16, weightDecay: 1e-4, augment: DEFAULT_AUGMENT, warmupEpochs: 1 });
  const fresh = (): Model => {
    const m = createModel(3, 16, mnistSeparable(0.5));
    calibrateClips(m, data, 32);
    return m;
  };
  const state = (m: Model): number[] => [...m.params.flatMap((p) => [...p.value, ...p.m, ...p.v]), ...m.nodes.flatMap((n) => (n.type === 'pool' || n.type === 'dense' ? [] : [...n.runMean, ...n.runVar]))];

  for (const qat of [null, 'pikelpn'] as const) {
    it(`a phase (${qat ?? 'float'}) stopped after epoch 1 and resumed from its checkpoint (through JSON) equals an uninterrupted one, bit for bit`, () => {
      const a = fresh();
      const whole = trainPhaseControlled(a, data, phase(qat), {});
      const b = fresh();
      let saved: PhaseCheckpoint | undefined;
      const first = trainPhaseControlled(b, data, phase(qat), { save: (c) => (saved ??= c), stopBefore: (epoch) => epoch === 1 });
      expect(first.stopped).toBe(true);
      expect(saved?.epochsDone).toBe(1);
      const c = fresh(); // a new process: nothing carried over but the checkpoint file
      const rest = trainPhaseControlled(c, data, phase(qat), { resume: JSON.parse(JSON.stringify(saved)) as PhaseCheckpoint });
      expect(rest.stopped).toBe(false);
      const sa = state(a);
      expect(sa.length).toBeGreaterThan(1000);
      expect(state(c)).toEqual(sa);
      expect(rest.logs.map((e) => e.loss)).toEqual(whole.logs.map((e) => e.loss));
      // And the check can fail: resuming without replaying the random streams (a fresh seed) gives other weights.
      const d = fresh();
      trainPhaseControlled(d, data, { ...phase(qat), seed: 10 }, { resume: JSON.parse(JSON.stringify(saved)) as PhaseCheckpoint });
      expect(state(d)).not.toEqual(sa);
    });
  }

  it('distillation in the integer QAT: weight 0 trains exactly as plain cross-entropy (the teacher pass disturbs nothing of the student), weight 0.5 trains otherwise, and the teacher is left unchanged', () => {
    const cfg: PhaseConfig = { ...phase('pikelpn'), integerRequant: true, freezeSchemeEpochs: 1 };
    const teacher = fresh();
    const before = state(teacher);
    const plain = fresh();
    const plainLogs = trainPhaseControlled(plain, data, cfg, {}).logs;
    const zero = fresh();
    trainPhaseControlled(zero, data, { ...cfg, distill: { weight: 0, temperature: 1, teacher } }, {});
    expect(state(zero)).toEqual(state(plain));
    const half = fresh();
    const halfLogs = trainPhaseControlled(half, data, { ...cfg, distill: { weight: 0.5, temperature: 1, teacher } }, {}).logs;
    expect(state(half)).not.toEqual(state(plain));
    expect(halfLogs.map((e) => e.loss)).not.toEqual(plainLogs.map((e) => e.loss));
    expect(state(teacher)).toEqual(before);
    // A teacher too small for the batch, or a bad setting, is refused before any training.
    expect(() => trainPhaseControlled(fresh(), data, { ...cfg, distill: { weight: 0.5, temperature: 1, teacher: createModel(3, 8, mnistSeparable(0.5)) } }, {})).toThrow(/teacher holds batches of 8, the phase's batch is 16/);
    expect(() => trainPhaseControlled(fresh(), data, { ...cfg, distill: { weight: 0.5, temperature: -1, teacher } }, {})).toThrow(/distill\.temperature is -1/);
    expect(() => trainPhaseControlled(fresh(), data, { ...phase(null), distill: { weight: 0.5, temperature: 1, teacher } }, {})).toThrow(/a float phase has no float checkpoint to distil from/);
    // A checkpoint records its distillation: resuming it under the same one continues bit for bit, under another is refused.
    let saved: PhaseCheckpoint | undefined;
    const kd = { ...cfg, distill: { weight: 0.5, temperature: 1, teacher } };
    trainPhaseControlled(fresh(), data, kd, { save: (c) => (saved ??= c), stopBefore: (epoch) => epoch === 1 });
    expect(saved?.distill).toEqual({ weight: 0.5, temperature: 1 });
    const resumed = fresh();
    trainPhaseControlled(resumed, data, kd, { resume: JSON.parse(JSON.stringify(saved)) as PhaseCheckpoint });
    expect(state(resumed)).toEqual(state(half));
    expect(() => trainPhaseControlled(fresh(), data, cfg, { resume: JSON.parse(JSON.stringify(saved)) as PhaseCheckpoint })).toThrow(/checkpoint after epoch 1 trained with distillation weight 0\.5, temperature 1, this phase with none/);
  });

  it('the integer pikelpn QAT with DHQ frozen for 2 epochs: resumed after epoch 2 (inside the freeze) equals uninterrupted, and the frozen schemes travel in the checkpoint', () => {
    const cfg: PhaseConfig = { ...phase('pikelpn'), integerRequant: true, freezeSchemeEpochs: 2 };
    const a = fresh();
    const whole = trainPhaseControlled(a, data, cfg, {});
    expect(whole.integer).toBeDefined();
    const b = fresh();
    let saved: PhaseCheckpoint | undefined;
    trainPhaseControlled(b, data, cfg, { save: (c) => (saved = c), stopBefore: (epoch) => epoch === 2 });
    expect(saved?.epochsDone).toBe(2);
    expect(Object.keys(saved?.frozenSchemes ?? {}).length).toBeGreaterThan(0);
    const c = fresh();
    const rest = trainPhaseControlled(c, data, cfg, { resume: JSON.parse(JSON.stringify(saved)) as PhaseCheckpoint });
    expect(state(c)).toEqual(state(a));
    expect(rest.logs.map((e) => e.loss)).toEqual(whole.logs.map((e) => e.loss));
    // The last two epochs trained with the same (frozen) schemes, which the phase returns for the network file.
    expect(whole.logs[1]!.schemes).toEqual(whole.logs[2]!.schemes);
    expect([...whole.schemes!.keys()].length).toBeGreaterThan(0);
  });
});
