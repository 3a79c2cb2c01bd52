/**
 * `--model <int.json|builtin>` for the accelerator commands: an integer
 * network file, or a built-in trained network compiled by its recipe. A
 * built-in also brings its float network and recipe, for the ACEv2 tally.
 */
import { existsSync } from 'node:fs';
import { type FloatNetwork, type IntNetwork, ModelError, parseIntNetwork, readTextFile } from '../../model/index.ts';
import { RECIPES, compile, type Recipe } from '../../quant/index.ts';
import { loadTrained } from '../../train/evaluate.ts';
import { CliError } from '../cliError.ts';

export interface ResolvedModel {
  readonly label: string;
  readonly net: IntNetwork;
  readonly float?: FloatNetwork;
  readonly recipe?: Recipe;
  /** Whether held-out MNIST digits are this network's input (28x28x1). */
  readonly mnist: boolean;
}

export const BUILTIN_MODELS = ['mnist_tiny'] as const;
export const DEFAULT_MODEL = 'mnist_tiny';

export function resolveModel(spec: string): ResolvedModel {
  if (spec === 'mnist_tiny') {
    const float = loadTrained();
    return { label: 'mnist_tiny (trained, pikelpn)', net: compile(float, RECIPES.pikelpn).net, float, recipe: RECIPES.pikelpn, mnist: true };
  }
  if (!spec.endsWith('.json') || !existsSync(spec)) {
    throw new CliError(`--model ${JSON.stringify(spec)} is neither a built-in (${BUILTIN_MODELS.join(', ')}) nor an existing integer network .json file`);
  }
  try {
    const net = parseIntNetwork(readTextFile(spec), spec);
    const mnist = net.input.height === 28 && net.input.width === 28 && net.input.channels === 1;
    return { label: spec, net, mnist };
  } catch (e) {
    if (e instanceof ModelError) throw new CliError(e.message.split('\n')[0]!);
    throw e;
  }
}
