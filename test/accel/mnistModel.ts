/** The default accelerator workload: the shipped trained mnist_tiny compiled by the pikelpn recipe, and held-out digits. */
import { compile, RECIPES } from '../../src/quant/index.ts';
import { heldOut, loadTrained } from '../../src/train/evaluate.ts';
import { imageOf } from '../../src/train/dataset.ts';
import { quantizeInput } from '../../src/ref/index.ts';
import type { IntNetwork } from '../../src/model/index.ts';

export function mnistTinyInt(): IntNetwork {
  return compile(loadTrained(), RECIPES.pikelpn).net;
}

export function mnistDigits(net: IntNetwork, count: number): { inputs: Int32Array[]; labels: number[] } {
  const data = heldOut(count);
  const inputs: Int32Array[] = [];
  const labels: number[] = [];
  for (let n = 0; n < data.count; n++) {
    inputs.push(quantizeInput(net.input.tensor, imageOf(data, n)));
    labels.push(data.labels[n]!);
  }
  return { inputs, labels };
}
