/**
 * The accelerator commands' shared front end: `--model`, `--set key=value`
 * overrides of the configuration (fitted to the network otherwise), the
 * compiled program, and user errors as one-line CliErrors (exit 2).
 */
import { AccelCompileError, AccelConfigError, type AccelProgram, accelConfigSchema, compileAccel, compileAxi, fitAccelConfig, fitAxiConfig } from '../../accel/index.ts';
import { CliError } from '../cliError.ts';
import { type PhaseLog, type ResolvedModel, resolveModel } from './resolveModel.ts';

export interface AccelSetup {
  readonly model: ResolvedModel;
  readonly program: AccelProgram;
}

export function parseSets(sets: readonly string[]): Record<string, unknown> {
  const keys = Object.keys(accelConfigSchema.shape);
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(s);
    if (m === null) throw new CliError(`--set ${JSON.stringify(s)} is invalid: use key=value`);
    // rows and cols name the MAC array's sides; this design's array is square (lanes x lanes).
    const key = m[1] === 'rows' || m[1] === 'cols' ? 'lanes' : m[1]!;
    if (key === 'lanes' && out['lanes'] !== undefined && out['lanes'] !== Number(m[2])) throw new CliError(`--set ${m[1]}=${m[2]}: the MAC array is square (rows = cols = lanes), already set to ${String(out['lanes'])}`);
    if (!keys.includes(key)) throw new CliError(`--set ${key}: unknown accelerator parameter: use one of ${keys.join(', ')} (rows and cols set lanes)`);
    // The one string field: where the memories live (the schema names the allowed values).
    if (key === 'memory') {
      out[key] = m[2];
      continue;
    }
    // The switches (loadable, spill): the schema refuses a boolean given to a numeric field, naming it.
    if (m[2] === 'true' || m[2] === 'false') {
      out[key] = m[2] === 'true';
      continue;
    }
    const v = Number(m[2]);
    if (!Number.isInteger(v)) throw new CliError(`--set ${key}=${m[2]}: must be an integer`);
    out[key] = v;
  }
  return out;
}

/** `log`, when given, hears each long phase (weights, compile, fitting) with its seconds. */
export function setupAccelerator(modelSpec: string, sets: readonly string[], log?: PhaseLog): AccelSetup {
  const t0 = performance.now();
  // The overrides first: a typo in --set is refused before minutes of weights and compile.
  const fixed = parseSets(sets);
  const model = resolveModel(modelSpec, log);
  const t1 = performance.now();
  if (t1 - t0 > 1000) log?.(`model ready in ${((t1 - t0) / 1000).toFixed(1)} s`);
  try {
    const program = fixed['memory'] === 'axi' ? compileAxi(model.net, fitAxiConfig(model.net, fixed)) : compileAccel(model.net, fitAccelConfig(model.net, fixed));
    log?.(`configuration fitted and layer program compiled in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    return { model, program };
  } catch (e) {
    if (e instanceof AccelCompileError || e instanceof AccelConfigError) throw new CliError(e.message);
    throw e;
  }
}
