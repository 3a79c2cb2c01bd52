/**
 * Mutation testing of the loadable accelerator (hdl-gen/accel): a sample of
 * its mutant schemata built once in Verilator, each mutant run through the
 * accelerator's property workload (accelWorkload.ts: mnist_tiny digits and
 * random networks loaded through the input stream, every output beat
 * predicted by the layer program).
 */
import { generateLoadableAccelerator } from '../../hdl-gen/accel/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { type UnitCoverage, designCoverage } from './coverage.ts';
import { ACCEL_MUTATION_CONFIG, type AccelWorkloadOptions, DEFAULT_ACCEL_WORKLOAD, accelPropertyFrames } from './accelWorkload.ts';
import { type MutateOptions, type UnitMutationResult, mutateDesign } from './mutateUnit.ts';
import { VerifyError } from './verifyError.ts';

export const ACCELERATOR = 'accelerator';
/** Mutants sampled when no budget is given: the accelerator has about 1400 sites and each run is whole inferences. */
export const DEFAULT_ACCEL_BUDGET = 60;

export async function mutateAccelerator(opts: MutateOptions, workload: AccelWorkloadOptions = DEFAULT_ACCEL_WORKLOAD): Promise<UnitMutationResult> {
  const module = generateLoadableAccelerator(ACCEL_MUTATION_CONFIG);
  const frames = accelPropertyFrames(ACCEL_MUTATION_CONFIG, workload);
  opts.onProgress?.(`mutate ${ACCELERATOR}: workload ${frames.networks} networks, ${frames.inferences} inferences`);
  return mutateDesign(ACCELERATOR, module, ACCEL_MUTATION_CONFIG, (_inWidth, outWidth) => {
    if (outWidth !== ACCEL_MUTATION_CONFIG.outBits) throw new VerifyError(`accelerator: out_data is ${outWidth} bits, the configuration says ${ACCEL_MUTATION_CONFIG.outBits}`);
    return frames;
  }, opts);
}

/** Line and toggle coverage of the loadable accelerator (not a mutant) under the same workload. */
export async function acceleratorCoverage(workload: AccelWorkloadOptions = DEFAULT_ACCEL_WORKLOAD): Promise<UnitCoverage> {
  const d = emitDesign(generateLoadableAccelerator(ACCEL_MUTATION_CONFIG), { romInit: 'inline' });
  const design = { top: d.top, sources: d.sources.map((s) => ({ name: s.name, text: s.text })), inWidth: d.inWidth, outWidth: d.outWidth };
  return designCoverage(ACCELERATOR, design, accelPropertyFrames(ACCEL_MUTATION_CONFIG, workload));
}
