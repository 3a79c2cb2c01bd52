/**
 * Train mnistTiny (src/networks/mnistTiny.ts): a float phase, then
 * quantization-aware phases with fake-quantized weights and activations at
 * the widths the pikelpn/conventional4 recipes give (4-bit depthwise and
 * pointwise weights, 4-bit activations; 8-bit stem and classifier weights,
 * 8-bit input to the classifier, as the recipes' edgeLayers say), each with
 * the weight quantizer of its target recipe. Adam, a fixed seed, a fixed
 * batch order: the same seed gives the same weights (same Node version).
 */
import { inferShapes, type FloatNetwork } from '../model/index.ts';
import { mnistTiny } from '../networks/mnistTiny.ts';
import { foldBatchNorm } from '../quant/foldBatchNorm.ts';
import { RECIPES, chooseWeightScheme, seededRandom, type SeededRandom, type TensorLayout, type WeightScheme } from '../quant/index.ts';
import { integerGlobalPool, integerPlan, integerRequant, quantizeInputInPlace, type IntegerPlan } from './integerQat.ts';
import {
  type ConvGeometry, convGeometry, conv2dForward, conv2dBackward, pointwiseForward, pointwiseBackward, depthwiseForward, depthwiseBackward,
  batchNormTrainForward, batchNormFixedForward, batchNormTrainBackward, batchNormFixedBackward, activationForward, activationBackward,
  globalAvgPoolForward, globalAvgPoolBackward, denseForward, denseBackward, softmaxCrossEntropy,
} from './layers.ts';
import { augmentBatch, type AugmentConfig } from './augment.ts';
import { fakeQuantWeights, fakeQuantActivationForward, fakeQuantActivationBackward, positivePercentile } from './fakeQuant.ts';
import { PIXELS, type Samples } from './dataset.ts';
import { distillConfigError, distillationLoss, sameDistill, type DistillConfig } from './distill.ts';
import { BestStep, type SelectBestConfig, type SelectionCheckpoint, type SelectionLog } from './bestStep.ts';

export const BN_EPSILON = 1e-5;

interface Param {
  readonly value: Float64Array;
  readonly grad: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
  readonly decay: boolean;
}

function param(n: number, decay: boolean): Param {
  return { value: new Float64Array(n), grad: new Float64Array(n), m: new Float64Array(n), v: new Float64Array(n), decay };
}

interface ConvNode {
  readonly type: 'conv' | 'pointwise' | 'depthwise';
  readonly name: string;
  readonly g: ConvGeometry;
  readonly w: Param;
  readonly wq: Float64Array;
  /** The weight scales of the last prepareWeights (one, or one per output channel). */
  wScales: ArrayLike<number>;
  readonly layout: TensorLayout;
  readonly weightBits: number;
  /** Width of this layer's output activation (the next reader's activationBits). */
  readonly outBits: number;
  clip: number;
  readonly gamma: Param;
  readonly beta: Param;
  readonly runMean: Float64Array;
  readonly runVar: Float64Array;
  readonly batchMean: Float64Array;
  readonly batchVar: Float64Array;
  readonly invStd: Float64Array;
  readonly outSize: number;
  readonly z: Float64Array;
  readonly u: Float64Array;
  readonly xhat: Float64Array;
  readonly a: Float64Array;
  readonly da: Float64Array;
  readonly du: Float64Array;
  readonly dz: Float64Array;
}

interface PoolNode {
  readonly type: 'pool';
  readonly name: string;
  readonly hw: number;
  readonly c: number;
  readonly a: Float64Array;
  readonly da: Float64Array;
}

interface DenseNode {
  readonly type: 'dense';
  readonly name: string;
  readonly inF: number;
  readonly outF: number;
  readonly w: Param;
  readonly wq: Float64Array;
  wScales: ArrayLike<number>;
  readonly bias: Param;
  /** The output without bias (the integer path's accumulator in real units). */
  readonly z: Float64Array;
  readonly zeros: Float64Array;
  readonly ones: Float64Array;
  readonly weightBits: number;
  logitRange: number;
  readonly a: Float64Array;
  readonly da: Float64Array;
}

type Node = ConvNode | PoolNode | DenseNode;

export interface Model {
  /** The architecture (mnistTiny unless created from another network); toFloatNetwork writes its layers. */
  readonly template: FloatNetwork;
  readonly nodes: readonly Node[];
  readonly params: readonly Param[];
  readonly maxBatch: number;
  readonly input: Float64Array;
}

/** Widths as the pikelpn / conventional4 recipes resolve them for mnistTiny (edge layers 8-bit). */
const WEIGHT_BITS: Readonly<Record<string, number>> = { stem: 8, fc: 8 };
const OUT_BITS: Readonly<Record<string, number>> = { b3_pw: 8 };

export function createModel(seed: number, maxBatch: number, net: FloatNetwork = mnistTiny()): Model {
  const shapes = inferShapes(net).layers;
  const rnd = seededRandom(seed);
  const nodes: Node[] = [];
  const params: Param[] = [];
  const he = (p: Param, fanIn: number, gain: number): void => {
    const std = Math.sqrt(gain / fanIn);
    for (let i = 0; i < p.value.length; i++) p.value[i] = rnd.gaussian() * std;
  };
  net.layers.forEach((l, i) => {
    const s = shapes[i]!;
    const outSize = s.output.height * s.output.width * s.output.channels;
    if (l.op === 'conv2d' || l.op === 'depthwiseConv2d') {
      const C = s.output.channels;
      const g = convGeometry(s.input.height, s.input.width, s.input.channels, C, l.kernel, l.stride ?? 1, l.padding ?? 0);
      const type = l.op === 'depthwiseConv2d' ? 'depthwise' : l.kernel === 1 ? 'pointwise' : 'conv';
      const wn = type === 'depthwise' ? l.kernel * l.kernel * C : C * l.kernel * l.kernel * s.input.channels;
      const w = param(wn, true);
      he(w, type === 'depthwise' ? l.kernel * l.kernel : l.kernel * l.kernel * s.input.channels, 2);
      const gamma = param(C, false);
      gamma.value.fill(1);
      const beta = param(C, false);
      const buf = (): Float64Array => new Float64Array(maxBatch * outSize);
      const node: ConvNode = {
        type, name: l.name, g, w, wq: new Float64Array(wn), wScales: [1], layout: { channels: C, axis: type === 'depthwise' ? 'inner' : 'outer' },
        weightBits: WEIGHT_BITS[l.name] ?? 4, outBits: OUT_BITS[l.name] ?? 4, clip: 0,
        gamma, beta, runMean: new Float64Array(C), runVar: new Float64Array(C).fill(1),
        batchMean: new Float64Array(C), batchVar: new Float64Array(C), invStd: new Float64Array(C),
        outSize, z: buf(), u: buf(), xhat: buf(), a: buf(), da: buf(), du: buf(), dz: buf(),
      };
      nodes.push(node);
      params.push(w, gamma, beta);
    } else if (l.op === 'avgPool') {
      nodes.push({ type: 'pool', name: l.name, hw: s.input.height * s.input.width, c: s.input.channels, a: new Float64Array(maxBatch * outSize), da: new Float64Array(maxBatch * outSize) });
    } else if (l.op === 'dense') {
      const inF = s.input.height * s.input.width * s.input.channels;
      const w = param(l.outFeatures * inF, true);
      he(w, inF, 1);
      const bias = param(l.outFeatures, false);
      nodes.push({
        type: 'dense', name: l.name, inF, outF: l.outFeatures, w, wq: new Float64Array(w.value.length), wScales: [1], bias, weightBits: WEIGHT_BITS[l.name] ?? 4,
        z: new Float64Array(maxBatch * outSize), zeros: new Float64Array(l.outFeatures), ones: new Float64Array(l.outFeatures).fill(1),
        logitRange: 0, a: new Float64Array(maxBatch * outSize), da: new Float64Array(maxBatch * outSize),
      });
      params.push(w, bias);
    } else {
      throw new RangeError(`train: layer kind ${l.op} is not supported`);
    }
  });
  return { template: net, nodes, params, maxBatch, input: new Float64Array(maxBatch * PIXELS) };
}

export interface Mode {
  /** Batch statistics (and running-average updates) instead of the running statistics. */
  readonly bnTrain: boolean;
  /** Fake-quantize weights and activations. */
  readonly quant: boolean;
  /** With `quant`: every layer's output is the integer network's (integerQat.ts), not float batch norm + activation rounding. */
  readonly integer?: IntegerPlan;
}

const BN_MOMENTUM = 0.1;

/** Prepare the weights a forward pass uses: the float weights, or (QAT) fake-quantized with each layer's scheme. Once per step. */
export function prepareWeights(model: Model, schemes: ReadonlyMap<string, WeightScheme> | null): void {
  for (const n of model.nodes) {
    if (n.type === 'pool') continue;
    if (schemes === null) {
      n.wq.set(n.w.value);
      n.wScales = [1];
    } else if (n.type === 'dense') n.wScales = fakeQuantWeights(n.w.value, { channels: n.outF, axis: 'outer' }, n.weightBits, n.wq, schemes.get(n.name));
    else n.wScales = fakeQuantWeights(n.w.value, n.layout, n.weightBits, n.wq, schemes.get(n.name));
  }
}

/** Forward `batch` samples from model.input; returns the logits buffer (batch x 10). */
export function forward(model: Model, batch: number, mode: Mode): Float64Array {
  let x = model.input;
  const plan = mode.quant ? mode.integer : undefined;
  if (plan) quantizeInputInPlace(plan, model.input, batch * PIXELS);
  for (const n of model.nodes) {
    switch (n.type) {
      case 'conv':
      case 'pointwise':
      case 'depthwise': {
        const pixels = batch * n.g.outH * n.g.outW;
        const len = pixels * n.g.outC;
        if (n.type === 'conv') conv2dForward(x, n.wq, n.z, n.g, batch);
        else if (n.type === 'pointwise') pointwiseForward(x, n.wq, n.z, n.g.inC, n.g.outC, pixels);
        else depthwiseForward(x, n.wq, n.z, n.g, batch);
        if (mode.bnTrain) {
          batchNormTrainForward(n.z, n.u, n.xhat, n.gamma.value, n.beta.value, n.batchMean, n.batchVar, n.invStd, n.g.outC, pixels, BN_EPSILON);
          const unbias = pixels / Math.max(1, pixels - 1);
          for (let c = 0; c < n.g.outC; c++) {
            n.runMean[c] = (1 - BN_MOMENTUM) * n.runMean[c]! + BN_MOMENTUM * n.batchMean[c]!;
            n.runVar[c] = (1 - BN_MOMENTUM) * n.runVar[c]! + BN_MOMENTUM * n.batchVar[c]! * unbias;
          }
        } else {
          for (let c = 0; c < n.g.outC; c++) n.invStd[c] = 1 / Math.sqrt(n.runVar[c]! + BN_EPSILON);
          batchNormFixedForward(n.z, n.u, n.xhat, n.gamma.value, n.beta.value, n.runMean, n.invStd, n.g.outC, pixels);
        }
        if (plan) {
          const mean = mode.bnTrain ? n.batchMean : n.runMean;
          const variance = mode.bnTrain ? n.batchVar : n.runVar;
          const C = n.g.outC;
          // compile's fold, the same function (these layers have no bias).
          const { g, off } = foldBatchNorm(C, { gamma: n.gamma.value, beta: n.beta.value, mean, variance }, BN_EPSILON);
          integerRequant(plan, n.name, true, n.z, g, off, n.wScales, C, len, n.a);
        } else if (mode.quant) fakeQuantActivationForward(n.u, n.a, n.clip, n.outBits, len);
        else activationForward('relu', n.u, n.a, len);
        x = n.a;
        break;
      }
      case 'pool':
        if (plan) integerGlobalPool(plan, n.name, x, n.a, n.hw, n.c, batch);
        else globalAvgPoolForward(x, n.a, n.hw, n.c, batch);
        x = n.a;
        break;
      case 'dense':
        if (plan) {
          denseForward(x, n.wq, n.zeros, n.z, n.inF, n.outF, batch);
          integerRequant(plan, n.name, false, n.z, n.ones, n.bias.value, n.wScales, n.outF, batch * n.outF, n.a);
        } else denseForward(x, n.wq, n.bias.value, n.a, n.inF, n.outF, batch);
        x = n.a;
        break;
    }
  }
  return x;
}

/** Backward from dlogits (in the last node's `da`), filling every Param.grad. */
export function backward(model: Model, batch: number, mode: Mode): void {
  const nodes = model.nodes;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    const prev = i > 0 ? nodes[i - 1]! : undefined;
    const x = prev ? prev.a : model.input;
    const dx = prev ? prev.da : null;
    switch (n.type) {
      case 'dense':
        denseBackward(x, n.wq, n.da, dx, n.w.grad, n.bias.grad, n.inF, n.outF, batch);
        break;
      case 'pool':
        globalAvgPoolBackward(n.da, dx!, n.hw, n.c, batch);
        break;
      default: {
        const pixels = batch * n.g.outH * n.g.outW;
        const len = pixels * n.g.outC;
        if (mode.quant) fakeQuantActivationBackward(n.u, n.da, n.du, n.clip, len);
        else activationBackward('relu', n.u, n.da, n.du, len);
        if (mode.bnTrain) batchNormTrainBackward(n.du, n.xhat, n.gamma.value, n.invStd, n.dz, n.gamma.grad, n.beta.grad, n.g.outC, pixels);
        else batchNormFixedBackward(n.du, n.xhat, n.gamma.value, n.invStd, n.dz, n.gamma.grad, n.beta.grad, n.g.outC, pixels);
        if (n.type === 'conv') conv2dBackward(x, n.wq, n.dz, dx, n.w.grad, n.g, batch);
        else if (n.type === 'pointwise') pointwiseBackward(x, n.wq, n.dz, dx, n.w.grad, n.g.inC, n.g.outC, pixels);
        else depthwiseBackward(x, n.wq, n.dz, dx, n.w.grad, n.g, batch);
      }
    }
  }
}

export interface AdamState {
  step: number;
}

/** Adam with decoupled weight decay (AdamW) on the parameters marked `decay`. */
export function adamStep(model: Model, state: AdamState, lr: number, weightDecay: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-8): void {
  state.step++;
  const c1 = 1 - beta1 ** state.step;
  const c2 = 1 - beta2 ** state.step;
  for (const p of model.params) {
    const { value, grad, m, v } = p;
    for (let i = 0; i < value.length; i++) {
      const g = grad[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      value[i] = value[i]! - lr * ((m[i]! / c1) / (Math.sqrt(v[i]! / c2) + eps) + (p.decay ? weightDecay * value[i]! : 0));
    }
  }
}

function loadBatch(model: Model, data: Samples, order: ArrayLike<number>, start: number, batch: number, labels: Uint8Array): void {
  for (let b = 0; b < batch; b++) {
    const n = order[start + b]!;
    model.input.set(data.images.subarray(n * PIXELS, (n + 1) * PIXELS), b * PIXELS);
    labels[b] = data.labels[n]!;
  }
}

/** How the training model runs for `accuracy`: the weight schemes (default: chosen from the weights now), and the integer requantizer. */
export interface EvalOptions {
  readonly schemes?: ReadonlyMap<string, WeightScheme>;
  readonly integer?: IntegerPlan;
}

/** Accuracy (%) of the training model itself (running BN statistics). */
export function accuracy(model: Model, data: Samples, target: QatTarget | null, options: EvalOptions = {}): number {
  const schemes = target === null ? null : (options.schemes ?? weightSchemes(model, target));
  const quant = target !== null;
  return lossAndAccuracy(model, data, schemes, { bnTrain: false, quant, ...(quant && options.integer ? { integer: options.integer } : {}) }).accuracy;
}

/**
 * The training model's mean cross-entropy (nats) and top-1 accuracy (%) on
 * `data`, un-augmented, with the given weight schemes and forward mode (the
 * best-step selection's score, bestStep.ts). Running batch-norm statistics.
 */
export function lossAndAccuracy(model: Model, data: Samples, schemes: ReadonlyMap<string, WeightScheme> | null, mode: Mode): { loss: number; accuracy: number } {
  prepareWeights(model, schemes);
  const labels = new Uint8Array(model.maxBatch);
  const order = Uint32Array.from({ length: data.count }, (_, i) => i);
  let loss = 0;
  let correct = 0;
  for (let s = 0; s < data.count; s += model.maxBatch) {
    const batch = Math.min(model.maxBatch, data.count - s);
    loadBatch(model, data, order, s, batch, labels);
    const logits = forward(model, batch, { ...mode, bnTrain: false });
    for (let b = 0; b < batch; b++) {
      let best = 0;
      let max = -Infinity;
      for (let j = 0; j < 10; j++) max = Math.max(max, logits[b * 10 + j]!);
      let sum = 0;
      for (let j = 0; j < 10; j++) {
        sum += Math.exp(logits[b * 10 + j]! - max);
        if (logits[b * 10 + j]! > logits[b * 10 + best]!) best = j;
      }
      loss += max + Math.log(sum) - logits[b * 10 + labels[b]!]!;
      if (best === labels[b]) correct++;
    }
  }
  return { loss: loss / data.count, accuracy: (100 * correct) / data.count };
}

/**
 * Activation clipping values for QAT: the `percentile` (99.9 for 4-bit, 99.99
 * for 8-bit tensors) of each layer's positive outputs, and the logit range
 * (1.25 x max |logit|), over `count` training samples with the current
 * (float) weights and running statistics.
 */
export function calibrateClips(model: Model, data: Samples, count: number): void {
  prepareWeights(model, null);
  const labels = new Uint8Array(model.maxBatch);
  const order = Uint32Array.from({ length: data.count }, (_, i) => i);
  const store = new Map<string, number[]>();
  let logitMax = 0;
  for (let s = 0; s < count; s += model.maxBatch) {
    const batch = Math.min(model.maxBatch, count - s);
    loadBatch(model, data, order, s, batch, labels);
    forward(model, batch, { bnTrain: false, quant: false });
    for (const n of model.nodes) {
      if (n.type === 'pool') continue;
      if (n.type === 'dense') {
        for (let i = 0; i < batch * n.outF; i++) logitMax = Math.max(logitMax, Math.abs(n.a[i]!));
        continue;
      }
      const vals = store.get(n.name) ?? [];
      const len = batch * n.outSize;
      for (let i = 0; i < len; i++) if (n.a[i]! > 0) vals.push(n.a[i]!);
      store.set(n.name, vals);
    }
  }
  for (const n of model.nodes) {
    if (n.type === 'dense') n.logitRange = 1.25 * logitMax;
    if (n.type !== 'conv' && n.type !== 'pointwise' && n.type !== 'depthwise') continue;
    const v = Float64Array.from(store.get(n.name) ?? []);
    n.clip = positivePercentile(v, v.length, n.outBits >= 8 ? 99.99 : 99.9);
  }
}

/** The weight quantizer QAT imitates: the one `compile` uses for that recipe. */
export type QatTarget = 'conventional4' | 'pikelpn';

export interface PhaseConfig {
  readonly epochs: number;
  readonly lr: number;
  /** null: float training; else QAT for that recipe's weight quantizer. */
  readonly qat: QatTarget | null;
  /** The last epochs run with batch-norm statistics frozen (running statistics, not batch ones). */
  readonly frozenBnEpochs: number;
  readonly seed: number;
  readonly batch: number;
  readonly weightDecay: number;
  /** Random affine warps of every training image (augment.ts); none when absent. */
  readonly augment?: AugmentConfig;
  /** Epochs of linear learning-rate warm-up before the cosine decay; 0 when absent. */
  readonly warmupEpochs?: number;
  /** QAT pikelpn: in the frozen-batch-norm epochs, run every layer's output through the integer requantizer compile builds (integerQat.ts). */
  readonly integerRequant?: boolean;
  /** QAT: the last this-many epochs keep the weight schemes chosen at their start (DHQ's choice frozen); 0 when absent. */
  readonly freezeSchemeEpochs?: number;
  /** QAT: keep the frozen-batch-norm epochs' best state by loss on these training digits (bestStep.ts), not the last; the last when absent. */
  readonly selectBest?: SelectBestConfig & { readonly samples: Samples };
  /** QAT: learn also from this teacher's softened outputs on the same augmented batch (distill.ts); plain cross-entropy when absent. */
  readonly distill?: DistillConfig & { readonly teacher: Model };
}

export interface TrainConfig {
  readonly seed: number;
  readonly batch: number;
  readonly floatEpochs: number;
  readonly qatEpochs: number;
  readonly frozenBnEpochs: number;
  readonly floatLr: number;
  readonly qatLr: number;
  readonly weightDecay: number;
  /** Training samples the activation clipping values are calibrated on. */
  readonly calibrationCount: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = Object.freeze({
  seed: 1,
  batch: 32,
  floatEpochs: 15,
  qatEpochs: 6,
  frozenBnEpochs: 3,
  floatLr: 3e-3,
  qatLr: 5e-4,
  weightDecay: 1e-4,
  calibrationCount: 512,
});

export interface EpochLog {
  readonly phase: string;
  readonly epoch: number;
  readonly lr: number;
  readonly loss: number;
  readonly trainAccuracy: number;
  readonly seconds: number;
  /** QAT: the weight scheme of each depthwise/pointwise layer this epoch. */
  readonly schemes?: Readonly<Record<string, string>>;
}

function cosine(lr0: number, t: number): number {
  return lr0 * (0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * t)));
}

/** Learning rate at phase progress `t` (0..1): linear warm-up over `warm` (a fraction), then cosine decay over the rest. */
export function scheduleLr(lr0: number, t: number, warm: number): number {
  if (warm <= 0) return cosine(lr0, t);
  if (t < warm) return lr0 * (0.02 + 0.98 * (t / warm));
  return cosine(lr0, (t - warm) / (1 - warm));
}

/** Progress within a phase: called after every step. */
export type StepProgress = (epoch: number, step: number, steps: number) => void;

/**
 * The weight scheme of every weighted layer under a QAT target, chosen from
 * the current float weights exactly as compile does (compileWeighted.ts):
 * pikelpn's DHQ picks per depthwise/pointwise tensor with chooseWeightScheme
 * at the layer's bits; everything else is the recipe's per-channel 'max'.
 */
export function weightSchemes(model: Model, target: QatTarget): Map<string, WeightScheme> {
  const out = new Map<string, WeightScheme>();
  for (const n of model.nodes) {
    if (n.type === 'pool') continue;
    const dhq = target === 'pikelpn' && RECIPES.pikelpn.techniques.dhq;
    out.set(n.name, dhq && (n.type === 'depthwise' || n.type === 'pointwise') ? chooseWeightScheme(n.w.value, n.layout, n.weightBits).scheme : RECIPES[target].weightScheme);
  }
  return out;
}

const schemeLabel = (s: WeightScheme): string => `${s.granularity} ${s.clipping}`;

/** One training phase (float or QAT) with Adam from a fresh state and a cosine learning rate. */
/**
 * Everything a phase needs to continue after its first `epochsDone` epochs:
 * the parameters with their Adam moments, Adam's step, the running
 * batch-norm statistics and the epoch logs. The random streams are not
 * stored: resuming replays their draws, so a resumed phase equals an
 * uninterrupted one bit for bit.
 */
export interface PhaseCheckpoint {
  readonly epochsDone: number;
  readonly adamStep: number;
  readonly params: readonly { readonly value: readonly number[]; readonly m: readonly number[]; readonly v: readonly number[] }[];
  readonly batchNorm: readonly { readonly mean: readonly number[]; readonly variance: readonly number[] }[];
  readonly logs: readonly EpochLog[];
  /** The frozen weight schemes, once the freeze has begun. */
  readonly frozenSchemes?: Readonly<Record<string, WeightScheme>>;
  /** The best-step selection's candidates so far and its best state (bestStep.ts). */
  readonly selection?: SelectionCheckpoint;
  /** The distillation the finished epochs trained with; absent: none (and checkpoints from before distillation existed). */
  readonly distill?: DistillConfig;
}

export interface PhaseControl {
  /** Continue from this checkpoint (taken with the same data and PhaseConfig). */
  readonly resume?: PhaseCheckpoint;
  /** Called after every epoch but the last. */
  readonly save?: (c: PhaseCheckpoint) => void;
  /** Asked before every epoch but a fresh phase's first, with the previous epoch's seconds: true stops the phase there (its last checkpoint stands). */
  readonly stopBefore?: (epoch: number, lastEpochSeconds: number) => boolean;
}

function checkpointOf(model: Model, epochsDone: number, state: AdamState, logs: readonly EpochLog[], frozen: ReadonlyMap<string, WeightScheme> | null, selection: BestStep | undefined, distill: DistillConfig | undefined): PhaseCheckpoint {
  return {
    ...(distill ? { distill: { weight: distill.weight, temperature: distill.temperature } } : {}),
    ...(frozen ? { frozenSchemes: Object.fromEntries(frozen) } : {}),
    ...(selection ? { selection: selection.checkpoint() } : {}),
    epochsDone,
    adamStep: state.step,
    params: model.params.map((p) => ({ value: Array.from(p.value), m: Array.from(p.m), v: Array.from(p.v) })),
    batchNorm: model.nodes.flatMap((n) => (n.type === 'pool' || n.type === 'dense' ? [] : [{ mean: Array.from(n.runMean), variance: Array.from(n.runVar) }])),
    logs: [...logs],
  };
}

function restoreCheckpoint(model: Model, c: PhaseCheckpoint): void {
  if (c.params.length !== model.params.length) throw new RangeError(`train: checkpoint has ${c.params.length} parameter tensors, the model ${model.params.length}`);
  model.params.forEach((p, i) => {
    const q = c.params[i]!;
    if (q.value.length !== p.value.length) throw new RangeError(`train: checkpoint tensor ${i} has ${q.value.length} values, the model ${p.value.length}`);
    p.value.set(q.value);
    p.m.set(q.m);
    p.v.set(q.v);
  });
  const bn = model.nodes.flatMap((n) => (n.type === 'pool' || n.type === 'dense' ? [] : [n]));
  bn.forEach((n, i) => {
    n.runMean.set(c.batchNorm[i]!.mean);
    n.runVar.set(c.batchNorm[i]!.variance);
  });
}

/** The phase's result: every epoch's log, and whether it stopped early (stopBefore) with epochs left. */
export interface PhaseResult {
  readonly logs: EpochLog[];
  readonly stopped: boolean;
  /** QAT: the weight schemes of the last epoch (the frozen ones when schemes were frozen). */
  readonly schemes?: ReadonlyMap<string, WeightScheme>;
  /** QAT with integerRequant: the integer plan the phase ran with (for evaluating the training model the same way). */
  readonly integer?: IntegerPlan;
  /** With selectBest: the scored states and the one kept (the model holds it). */
  readonly selection?: SelectionLog;
}

export function trainPhase(model: Model, data: Samples, cfg: PhaseConfig, log: (e: EpochLog) => void = () => {}, progress: StepProgress = () => {}): EpochLog[] {
  return trainPhaseControlled(model, data, cfg, {}, log, progress).logs;
}

export function trainPhaseControlled(model: Model, data: Samples, cfg: PhaseConfig, control: PhaseControl, log: (e: EpochLog) => void = () => {}, progress: StepProgress = () => {}): PhaseResult {
  const rnd: SeededRandom = seededRandom(cfg.seed);
  // A stream of its own, so the batch order is the same with and without augmentation.
  const augRnd: SeededRandom = seededRandom((Math.imul(cfg.seed, 0x9e3779b1) ^ 0x5bd1e995) >>> 0);
  const scratch = new Float64Array(PIXELS);
  const warm = Math.min(cfg.warmupEpochs ?? 0, cfg.epochs) / Math.max(1, cfg.epochs);
  const state: AdamState = { step: 0 };
  const labels = new Uint8Array(cfg.batch);
  const order = Uint32Array.from({ length: data.count }, (_, i) => i);
  const steps = Math.floor(data.count / cfg.batch);
  const logs: EpochLog[] = [];
  const name = cfg.qat === null ? 'float' : `qat-${cfg.qat}`;
  const shuffle = (): void => {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd.next() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  };
  let first = 0;
  const freezeAt = cfg.qat === null ? Infinity : cfg.epochs - (cfg.freezeSchemeEpochs ?? 0);
  let frozen: Map<string, WeightScheme> | null = control.resume?.frozenSchemes ? new Map(Object.entries(control.resume.frozenSchemes)) : null;
  // Activation clips are fixed for the phase, so the integer geometry is too.
  const plan = cfg.qat === 'pikelpn' && cfg.integerRequant === true ? integerPlan(toFloatNetwork(model), RECIPES.pikelpn) : undefined;
  let schemes: ReadonlyMap<string, WeightScheme> | null = null;
  const selectSamples = cfg.qat !== null ? cfg.selectBest?.samples : undefined;
  if (cfg.selectBest !== undefined && selectSamples !== undefined && selectSamples.count !== cfg.selectBest.digits) {
    throw new RangeError(`selectBest: digits is ${cfg.selectBest.digits} but ${selectSamples.count} samples were given`);
  }
  // A checkpoint taken inside the frozen epochs without a selection (from before it existed) would
  // select among the remaining epochs only, unnoticed: refused.
  if (selectSamples !== undefined && control.resume !== undefined && control.resume.selection === undefined && control.resume.epochsDone > cfg.epochs - cfg.frozenBnEpochs) {
    throw new RangeError(`selectBest: the checkpoint after epoch ${control.resume.epochsDone} has no selection state but the selection starts at epoch ${cfg.epochs - cfg.frozenBnEpochs + 1}: delete the checkpoint to retrain the stage`);
  }
  const select = cfg.selectBest !== undefined && selectSamples !== undefined ? new BestStep(cfg.selectBest, control.resume?.selection) : undefined;
  const distill = cfg.distill;
  if (distill && cfg.qat === null) throw new RangeError('distill: a float phase has no float checkpoint to distil from (distillation is for QAT phases)');
  if (distill) {
    const err = distillConfigError(distill);
    if (err !== undefined) throw new RangeError(err);
    if (distill.teacher.maxBatch < cfg.batch) throw new RangeError(`distill: the teacher holds batches of ${distill.teacher.maxBatch}, the phase's batch is ${cfg.batch}`);
    // The teacher's weights never change: its float weights are prepared once.
    prepareWeights(distill.teacher, null);
  }
  // A checkpoint's epochs trained with another loss would be continued with this one, unnoticed: refused.
  if (control.resume !== undefined && !sameDistill(control.resume.distill, distill)) {
    const text = (d: DistillConfig | null | undefined): string => (d ? `weight ${d.weight}, temperature ${d.temperature}` : 'none');
    throw new RangeError(`distill: the checkpoint after epoch ${control.resume.epochsDone} trained with distillation ${text(control.resume.distill)}, this phase with ${text(distill)}: delete the checkpoint to retrain the stage`);
  }
  if (control.resume) {
    const c = control.resume;
    restoreCheckpoint(model, c);
    state.step = c.adamStep;
    logs.push(...c.logs);
    // Replay the random streams' draws of the finished epochs: the shuffles, and 4 numbers per augmented image.
    for (let e = 0; e < c.epochsDone; e++) {
      shuffle();
      if (cfg.augment) for (let k = 0; k < 4 * steps * cfg.batch; k++) augRnd.next();
    }
    first = c.epochsDone;
  }
  let lastSeconds = logs[logs.length - 1]?.seconds ?? 0;
  for (let epoch = first; epoch < cfg.epochs; epoch++) {
    if (lastSeconds > 0 && control.stopBefore?.(epoch, lastSeconds) === true) return { logs, stopped: true };
    const t0 = performance.now();
    const frozenBn = epoch >= cfg.epochs - cfg.frozenBnEpochs;
    // The integer requantizer runs with frozen batch-norm statistics only: then the forward pass is
    // exactly the network compile will build (with batch statistics there is no such network), and
    // its per-step fits (exact-rational QuantNorm shift search) cost 3-4x a step at 2x width.
    const mode: Mode = { bnTrain: !frozenBn, quant: cfg.qat !== null, ...(plan && frozenBn ? { integer: plan } : {}) };
    // DHQ's choice is re-made from the weights at the start of every QAT epoch until the freeze;
    // from then on it stays, and the network file records it for compile (toFloatNetwork).
    if (cfg.qat !== null && epoch >= freezeAt) frozen ??= weightSchemes(model, cfg.qat);
    const epochSchemes = cfg.qat === null ? null : (frozen ?? weightSchemes(model, cfg.qat));
    schemes = epochSchemes;
    shuffle();
    let lossSum = 0;
    let correct = 0;
    for (let s = 0; s < steps; s++) {
      const lr = scheduleLr(cfg.lr, (epoch + s / steps) / cfg.epochs, warm);
      loadBatch(model, data, order, s * cfg.batch, cfg.batch, labels);
      if (cfg.augment) augmentBatch(model.input, cfg.batch, cfg.augment, augRnd, scratch);
      // The teacher reads the batch before the student's integer forward pass quantizes it in place.
      const teacherLogits = distill ? teacherForward(distill.teacher, model.input, cfg.batch) : undefined;
      prepareWeights(model, epochSchemes);
      const logits = forward(model, cfg.batch, mode);
      const last = model.nodes[model.nodes.length - 1]!;
      lossSum += distill && teacherLogits ? distillationLoss(logits, teacherLogits, labels, last.da, 10, cfg.batch, distill) : softmaxCrossEntropy(logits, labels, last.da, 10, cfg.batch);
      for (let b = 0; b < cfg.batch; b++) {
        let best = 0;
        for (let j = 1; j < 10; j++) if (logits[b * 10 + j]! > logits[b * 10 + best]!) best = j;
        if (best === labels[b]) correct++;
      }
      backward(model, cfg.batch, mode);
      adamStep(model, state, lr, cfg.weightDecay);
      if (select && selectSamples && frozenBn && select.due(s + 1, steps)) {
        const score = lossAndAccuracy(model, selectSamples, epochSchemes, mode);
        select.offer({ epoch: epoch + 1, step: s + 1, ...score }, model.params, epochSchemes);
      }
      progress(epoch, s + 1, steps);
    }
    const e: EpochLog = {
      phase: frozenBn ? `${name}-frozen-bn` : name,
      epoch: epoch + 1,
      lr: scheduleLr(cfg.lr, (epoch + 1) / cfg.epochs, warm),
      loss: lossSum / steps,
      trainAccuracy: (100 * correct) / (steps * cfg.batch),
      seconds: (performance.now() - t0) / 1000,
      ...(epochSchemes ? { schemes: Object.fromEntries([...model.nodes].filter((n) => n.type === 'depthwise' || n.type === 'pointwise').map((n) => [n.name, schemeLabel(epochSchemes.get(n.name)!)])) } : {}),
    };
    logs.push(e);
    log(e);
    lastSeconds = e.seconds;
    if (epoch + 1 < cfg.epochs) control.save?.(checkpointOf(model, epoch + 1, state, logs, frozen, select, distill));
  }
  const kept = select?.finish(model.params);
  if (kept) schemes = kept.schemes;
  return { logs, stopped: false, ...(schemes ? { schemes } : {}), ...(plan ? { integer: plan } : {}), ...(kept ? { selection: kept.log } : {}) };
}

/** The teacher's float logits (running batch-norm statistics, float weights) on `batch` images copied from `input`. */
function teacherForward(teacher: Model, input: Float64Array, batch: number): Float64Array {
  teacher.input.set(input.subarray(0, batch * PIXELS));
  return forward(teacher, batch, { bnTrain: false, quant: false });
}

/** A training model holding a float network file's parameters (weights, BN statistics, clipping ranges). */
export function modelFromNetwork(net: FloatNetwork, maxBatch: number): Model {
  const model = createModel(0, maxBatch, net);
  const byName = new Map(net.layers.map((l) => [l.name, l]));
  for (const n of model.nodes) {
    if (n.type === 'pool') continue;
    const l = byName.get(n.name);
    if (l === undefined || l.op === 'avgPool' || l.op === 'maxPool' || l.op === 'add' || l.weights === undefined) throw new RangeError(`train: layer "${n.name}" has no weights in the file`);
    n.w.value.set(l.weights);
    if (n.type === 'dense') {
      n.bias.value.set(l.bias ?? []);
      n.logitRange = l.outputRange?.max ?? 0;
    } else {
      const bn = l.batchNorm;
      if (bn === undefined || bn === true) throw new RangeError(`train: layer "${n.name}" has no batch-norm statistics`);
      n.gamma.value.set(bn.gamma);
      n.beta.value.set(bn.beta);
      n.runMean.set(bn.mean);
      n.runVar.set(bn.variance);
      n.clip = l.outputRange?.max ?? 0;
    }
  }
  return model;
}

/**
 * The trained model as a float network file (latent float weights, running BN
 * statistics, QAT clipping ranges), and with `dhq` the weight scheme of each
 * depthwise/pointwise layer as its dhqScheme (what compile then uses under DHQ).
 */
export function toFloatNetwork(model: Model, dhq?: ReadonlyMap<string, WeightScheme>): FloatNetwork {
  const net = model.template;
  const byName = new Map(model.nodes.map((n) => [n.name, n]));
  const layers = net.layers.map((l) => {
    const n = byName.get(l.name);
    if (n === undefined || n.type === 'pool') return l;
    if (n.type === 'dense') {
      return { ...l, weights: Array.from(n.w.value), bias: Array.from(n.bias.value), outputRange: { min: -n.logitRange, max: n.logitRange } };
    }
    const sc = n.type === 'depthwise' || n.type === 'pointwise' ? dhq?.get(n.name) : undefined;
    if (sc !== undefined && sc.clipping === 'percentile') throw new RangeError(`train: layer "${n.name}": a percentile scheme cannot be recorded as dhqScheme`);
    return {
      ...l,
      ...(sc !== undefined && sc.clipping !== 'percentile' ? { dhqScheme: { granularity: sc.granularity, clipping: sc.clipping } } : {}),
      weights: Array.from(n.w.value),
      batchNorm: { gamma: Array.from(n.gamma.value), beta: Array.from(n.beta.value), mean: Array.from(n.runMean), variance: Array.from(n.runVar), epsilon: BN_EPSILON },
      outputRange: { min: 0, max: n.clip },
    };
  });
  return { ...net, layers: layers as FloatNetwork['layers'] };
}
