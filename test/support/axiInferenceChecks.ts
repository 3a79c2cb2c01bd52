// The checks every co-simulated AXI inference passes, whichever test runs it (test/accel/axi.test.ts,
// axiSpill.test.ts): the outputs equal runInt's, and the RTL's counters equal the cycle model, the
// MAC count and the traffic model, which the memory model's own byte counts equal too.
import { expect } from 'vitest';
import { type AccelProgram, axiTraffic, programPerformance } from '../../src/accel/index.ts';
import type { AxiInference } from '../../sim/accel/axiSim.ts';
import type { IntNetwork } from '../../src/model/index.ts';
import { runInt } from '../../src/ref/index.ts';

/** Asserts one inference; returns how many values it compared (outputs and six counters). */
export function expectAxiInference(p: AccelProgram, n: IntNetwork, x: Int32Array, r: AxiInference): number {
  const traffic = axiTraffic(p);
  const ref = runInt(n, x).output;
  expect(Array.from(r.output)).toEqual(Array.from(ref));
  expect(r.counters.COMPUTE_CYCLES).toBe(programPerformance(p).cycles);
  expect(r.counters.MACS).toBe(p.layers.reduce((s, d) => s + d.macs, 0));
  expect(r.counters.BYTES_READ).toBe(traffic.bytesRead);
  expect(r.counters.BYTES_WRITTEN).toBe(traffic.bytesWritten);
  expect(r.modelBytesRead).toBe(traffic.bytesRead);
  expect(r.modelBytesWritten).toBe(traffic.bytesWritten);
  // Every cycle of the run is compute, stall (waiting for words) or writing.
  expect(r.counters.CYCLES).toBeGreaterThanOrEqual(r.counters.COMPUTE_CYCLES + r.counters.STALL_CYCLES);
  expect(r.layerStalls.reduce((a, b) => a + b, 0)).toBe(r.counters.STALL_CYCLES);
  return ref.length + 6;
}
