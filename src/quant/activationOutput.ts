/**
 * The integer range a layer's output takes on its tensor's grid once its
 * activation has clamped it: relu and relu6 clamp below at 0, relu6 also
 * above at 6 (on the tensor's scale, rounded to nearest even); prelu and
 * none leave the grid's whole range. One rule for the compiler's weighted
 * layers and adds, its pools (activation 'none': an unsigned grid starts at
 * 0 already) and the integer QAT's plan, which must agree with it exactly.
 */
import { maxOf, minOf, roundFloat } from '../arith/index.ts';
import { tensorShape, type OutputSpec, type TensorSpec } from '../model/index.ts';

export type OutputActivation = 'none' | 'relu' | 'relu6' | 'prelu';

export function activationOutput(spec: TensorSpec, act: OutputActivation): OutputSpec {
  const s = tensorShape(spec);
  const clampsAtZero = act === 'relu' || act === 'relu6';
  const max = Number(maxOf(s));
  return { ...spec, min: clampsAtZero ? 0 : Number(minOf(s)), max: act === 'relu6' ? Math.min(max, roundFloat(6 / spec.scale, 'rne')) : max };
}
