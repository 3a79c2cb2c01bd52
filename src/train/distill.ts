/**
 * Knowledge distillation for QAT (Hinton, Vinyals and Dean, 2015): the
 * quantized student learns from the labels and from its own float
 * checkpoint's softened outputs (the teacher sees the same augmented batch).
 *
 *   loss = (1 - weight) * CE(softmax(s), label) + weight * T^2 * KL(softmax(t / T) || softmax(s / T))
 *
 * The T^2 keeps the soft term's gradient on the scale of the hard one's as
 * T changes. Its gradient with respect to the student's logits is
 * (1 - weight) * (softmax(s) - onehot) + weight * T * (softmax(s / T) - softmax(t / T)),
 * divided by the batch as softmaxCrossEntropy's is.
 */
export interface DistillConfig {
  /** The soft term's share of the loss, in [0, 1]; 0 is plain cross-entropy. */
  readonly weight: number;
  /** The softmax temperature T of the soft term, > 0. */
  readonly temperature: number;
}

/** Whether two trainings used the same distillation (null and absent: none). */
export function sameDistill(a: DistillConfig | null | undefined, b: DistillConfig | null | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null) return x === y;
  return x.weight === y.weight && x.temperature === y.temperature;
}

/** A config's error, naming the field, the value and the rule; undefined when it is valid. */
export function distillConfigError(c: DistillConfig): string | undefined {
  if (!(Number.isFinite(c.weight) && c.weight >= 0 && c.weight <= 1)) return `distill.weight is ${c.weight}: it must be a number in [0, 1]`;
  if (!(Number.isFinite(c.temperature) && c.temperature > 0)) return `distill.temperature is ${c.temperature}: it must be a positive number`;
  return undefined;
}

/** softmax(logits[o .. o + classes) / T) into p; returns log of the partition (for the loss). */
function softmaxInto(logits: ArrayLike<number>, o: number, classes: number, t: number, p: Float64Array): number {
  let m = -Infinity;
  for (let j = 0; j < classes; j++) m = Math.max(m, logits[o + j]! / t);
  let z = 0;
  for (let j = 0; j < classes; j++) {
    p[j] = Math.exp(logits[o + j]! / t - m);
    z += p[j]!;
  }
  for (let j = 0; j < classes; j++) p[j] = p[j]! / z;
  return m + Math.log(z);
}

/**
 * The distillation loss of a batch (mean over it), writing its gradient with
 * respect to the student's logits into `dlogits` (batch x classes).
 */
export function distillationLoss(student: ArrayLike<number>, teacher: ArrayLike<number>, labels: ArrayLike<number>, dlogits: Float64Array, classes: number, batch: number, c: DistillConfig): number {
  const err = distillConfigError(c);
  if (err !== undefined) throw new RangeError(err);
  const t = c.temperature;
  const hard = new Float64Array(classes);
  const soft = new Float64Array(classes);
  const target = new Float64Array(classes);
  let loss = 0;
  for (let b = 0; b < batch; b++) {
    const o = b * classes;
    const label = labels[b]!;
    const logZ = softmaxInto(student, o, classes, 1, hard);
    const logZs = softmaxInto(student, o, classes, t, soft);
    const logZt = softmaxInto(teacher, o, classes, t, target);
    let kl = 0;
    for (let j = 0; j < classes; j++) {
      const q = target[j]!;
      // KL(q || p) = sum q (log q - log p), with log p = s/T - logZs and log q = t/T - logZt.
      if (q > 0) kl += q * (teacher[o + j]! / t - logZt - (student[o + j]! / t - logZs));
    }
    loss += (1 - c.weight) * (logZ - student[o + label]!) + c.weight * t * t * kl;
    for (let j = 0; j < classes; j++) {
      dlogits[o + j] = ((1 - c.weight) * (hard[j]! - (j === label ? 1 : 0)) + c.weight * t * (soft[j]! - target[j]!)) / batch;
    }
  }
  return loss / batch;
}
