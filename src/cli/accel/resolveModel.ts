/**
 * `--model <int.json|builtin>` for the accelerator commands: an integer
 * network file, or a built-in trained network compiled by its recipe. A
 * built-in also brings its float network and recipe, for the ACEv2 tally.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type FloatNetwork, type IntNetwork, ModelError, parseIntNetwork, readTextFile } from '../../model/index.ts';
import { RECIPES, compile, defaultCalibrationInputs, type Recipe } from '../../quant/index.ts';
import { SYNTHETIC_MODEL_NAMES, isSyntheticModelName, syntheticArchitecture, syntheticNetwork } from '../../networks/syntheticModels.ts';
import { cachedSyntheticInt } from './syntheticCache.ts';
import { statisticsInputCount } from '../../networks/syntheticWeights.ts';
import { loadTrained } from '../../train/evaluate.ts';
import { CliError } from '../cliError.ts';
import { type AccelDefaultChoice, FPGA_FIT_FILE, SHIPPED_MANIFEST_FILE, accelDefaultFromFiles, shippedModelNames } from '../../train/accelDefault.ts';
import { TRAINED_DIR } from '../../train/shipModels.ts';

export interface ResolvedModel {
  readonly label: string;
  readonly net: IntNetwork;
  readonly float?: FloatNetwork;
  readonly recipe?: Recipe;
  /** Whether held-out MNIST digits are this network's input (28x28x1). */
  readonly mnist: boolean;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The built-in model names: mnist_tiny, the shipped family models (their manifest, written by src/train/results.ts), the synthetic full-size networks. */
export function builtinModels(): string[] {
  return ['mnist_tiny', ...shippedModelNames(), ...SYNTHETIC_MODEL_NAMES];
}
/**
 * The accelerator's default model (`npm run gen`, `gen --model` omitted): of the shipped family models, the
 * most accurate one measured to fit the default FPGA target (src/train/accelDefault.ts, which says why).
 */
export function defaultModel(): string {
  return defaultChoice().network;
}

/** Why the default model is the default: "<name>: the most accurate shipped model ... fits ...; the others". */
export function defaultModelReason(): string {
  return defaultChoice().reason;
}

function defaultChoice(): AccelDefaultChoice {
  try {
    const c = accelDefaultFromFiles();
    if (c === undefined) throw new RangeError(`${SHIPPED_MANIFEST_FILE} or ${FPGA_FIT_FILE} is missing (npx tsx src/train/results.ts; npx tsx src/train/fpgaFit.ts)`);
    return c;
  } catch (e) {
    throw new CliError(`the default model: ${(e as Error).message}`);
  }
}

/** Progress of a long step (a phase and its seconds), for the commands' stderr. */
export type PhaseLog = (line: string) => void;

export function resolveModel(spec: string, log?: PhaseLog): ResolvedModel {
  if (spec === 'mnist_tiny') {
    const float = loadTrained();
    return { label: 'mnist_tiny (trained, pikelpn)', net: compile(float, RECIPES.pikelpn).net, float, recipe: RECIPES.pikelpn, mnist: true };
  }
  if (shippedModelNames().includes(spec)) {
    // A shipped family model: its QAT weights, compiled as its record was evaluated (pikelpn; DHQ's recorded choice).
    const file = path.join(TRAINED_DIR, `${spec}.float.json`);
    const float = loadTrained(file);
    return { label: `${spec} (trained, pikelpn; docs/results.md)`, net: compile(float, RECIPES.pikelpn).net, float, recipe: RECIPES.pikelpn, mnist: true };
  }
  if (isSyntheticModelName(spec)) return resolveSynthetic(spec, 1, log);
  if (!spec.endsWith('.json') || !existsSync(spec)) {
    throw new CliError(`--model ${JSON.stringify(spec)} is neither a built-in (${builtinModels().join(', ')}) nor an existing integer network .json file`);
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

/**
 * A built-in architecture with seeded synthetic weights (seed 1), compiled by
 * the pikelpn recipe and calibrated on seeded random inputs (as few as give
 * every layer 64 values per channel: 2 at 224x224). Deterministic: the same
 * name gives the same file, so it is cached (syntheticCache.ts). The ACEv2
 * tally needs only the architecture (layer shapes and the recipe's widths; the
 * weights do not enter it), so the float network returned is the architecture.
 */
/** How a synthetic built-in (weights of `seed`) is compiled: pikelpn, calibrated on seeded inputs of seed + 1. The bench times this too. */
export function compileSynthetic(float: FloatNetwork, seed: number): IntNetwork {
  return compile(float, RECIPES.pikelpn, { calibration: defaultCalibrationInputs(float, statisticsInputCount(float), seed + 1) }).net;
}

export function resolveSynthetic(name: string, seed = 1, log?: PhaseLog): ResolvedModel {
  const { net, cached } = cachedSyntheticInt(name, seed, () => {
    log?.(`${name}: not in the compiled-network cache: synthesizing weights (seed ${seed}) and compiling with pikelpn`);
    const t0 = performance.now();
    const float = syntheticNetwork(name, seed);
    const t1 = performance.now();
    log?.(`${name}: synthetic weights ${seconds(t1 - t0)}`);
    const compiled = compileSynthetic(float, seed);
    log?.(`${name}: pikelpn compile ${seconds(performance.now() - t1)}`);
    return compiled;
  });
  const float = { ...syntheticArchitecture(name), name: net.name };
  return { label: `${name} (synthetic weights seed ${seed}, pikelpn${cached ? ', compiled network from the cache' : ''})`, net, float, recipe: RECIPES.pikelpn, mnist: false };
}
