/**
 * The accelerator's performance report (src/accel/perfReport.ts) for the
 * built-in networks with synthetic weights on a 16x16 array: cycles per
 * inference vs ideal, utilization, external traffic, ACEv2, inferences per
 * second. PIKEHDL_BENCH_ACCEL=full (default) runs MobileNetV1 1.0, MobileNetV2
 * 1.0 and ResNet-18 at 224x224 (the pikelpn compile of each takes 40-90 s of
 * CPU); =reduced the 32x32 variants on 4 lanes; =off skips it.
 */
import { accelPerformanceReport, type AccelPerfReport, formatPerformanceSummary } from '../src/accel/perfReport.ts';
import { compileAccel, fitAccelConfig } from '../src/accel/index.ts';
import { resolveSynthetic } from '../src/cli/accel/resolveModel.ts';
import { SYNTHETIC_REDUCED } from '../src/networks/syntheticModels.ts';

export function runAccelPerfBench(mode: string, write: (s: string) => void): AccelPerfReport[] {
  if (mode === 'off') return [];
  const full = mode !== 'reduced';
  const names: readonly string[] = full ? ['mobilenet_v1_1.0', 'mobilenet_v2_1.0', 'resnet18'] : SYNTHETIC_REDUCED;
  return names.map((name) => {
    const m = resolveSynthetic(name);
    const program = compileAccel(m.net, fitAccelConfig(m.net, { lanes: full ? 16 : 4 }));
    const r = accelPerformanceReport(program, m.net, m.float && m.recipe ? { float: m.float, recipe: m.recipe } : undefined);
    write(`${name}:\n${formatPerformanceSummary(r).map((l) => `  ${l}\n`).join('')}`);
    return r;
  });
}
