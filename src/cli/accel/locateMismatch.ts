/**
 * Where a wrong inference first goes wrong. The layer program's interpreter
 * keeps every layer's tensor; comparing them with runInt's intermediates names
 * the first layer, pixel and channel that differ when the schedule itself is
 * wrong. When the schedule agrees with runInt, the RTL departs from its own
 * schedule, and the VCD (written next) shows where.
 */
import { type AccelProgram, runProgram } from '../../accel/index.ts';
import type { IntNetwork } from '../../model/index.ts';
import { runInt } from '../../ref/index.ts';

export function locateMismatch(program: AccelProgram, net: IntNetwork, input: Int32Array): { differs: boolean; text: string } {
  const ref = runInt(net, input);
  const run = runProgram(program, input);
  for (const [k, t] of run.layers.entries()) {
    const r = ref.outputs.get(t.name)!;
    const bad = r.findIndex((v, i) => v !== t.output[i]);
    if (bad >= 0) {
      const d = program.layers[k]!;
      const c = bad % d.outChannels;
      const pix = Math.floor(bad / d.outChannels);
      return { differs: true, text: `the layer program differs from runInt first at layer "${t.name}" (layer ${k}), pixel (y ${Math.floor(pix / d.ow)}, x ${pix % d.ow}), channel ${c}: layer program ${t.output[bad]}, runInt ${r[bad]}` };
    }
  }
  return { differs: false, text: 'the layer program equals runInt on every layer: the RTL departs from its schedule' };
}
