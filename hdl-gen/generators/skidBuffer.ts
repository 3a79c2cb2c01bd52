/**
 * skid_buffer: a two-entry stream buffer that registers both directions:
 * in_ready comes from a flop (no combinational path from out_ready to
 * in_ready) and out_valid/out_data are flops, at full throughput. When the
 * output stalls, the one input already accepted that cycle waits in the skid
 * register.
 */
import { z } from 'zod';
import { unsigned } from '../../src/arith/index.ts';
import { MAX_BUS_WIDTH, bus } from '../dsl/busShape.ts';
import { mux } from '../dsl/expr.ts';
import { Module } from '../dsl/module.ts';
import { intIn, moduleName } from './configFields.ts';
import { defineGenerator } from './defineGenerator.ts';

export const skidBufferConfig = z.strictObject({
  name: moduleName.default('skid_buffer'),
  width: intIn(1, MAX_BUS_WIDTH).default(32),
});
export type SkidBufferConfig = z.output<typeof skidBufferConfig>;

export function skidBuffer(c: SkidBufferConfig): Module {
  const m = new Module(c.name, { generator: 'skid_buffer', config: c, description: 'two-entry skid buffer, registered in_ready and outputs' });
  const data = bus(c.width);
  const inp = m.streamIn('in', data);
  const out = m.streamOut('out', data);
  const outValid = m.reg('out_valid_q', unsigned(1), { reset: 0 });
  const outData = m.reg('out_data_q', data, { reset: 'none' });
  const skidValid = m.reg('skid_valid', unsigned(1), { reset: 0 });
  const skidData = m.reg('skid_data', data, { reset: 'none' });

  // The input is taken whenever the skid register is empty.
  const inReady = skidValid.not();
  const inFire = m.wire('in_fire', inp.valid.and(inReady));
  // The output register can load when it is empty or being read this cycle.
  const load = m.wire('load', outValid.not().or(out.ready));

  m.update(outValid, skidValid.or(inp.valid), { enable: load });
  m.update(outData, mux(skidValid, skidData, inp.data), { enable: load });
  // Loading drains the skid; a stalled output parks the accepted input there.
  m.update(skidValid, load.not().and(inFire.or(skidValid)));
  m.update(skidData, inp.data, { enable: load.not().and(inFire) });

  m.assign(inp.ready, inReady);
  m.assign(out.valid, outValid);
  m.assign(out.data, outData);
  return m;
}

export const skidBufferGenerator = defineGenerator({
  name: 'skid_buffer',
  description: 'two-entry skid buffer: registered in_ready, out_valid and out_data at full throughput',
  schema: skidBufferConfig,
  defaultConfig: { width: 32 },
  lintPoints: [{ width: 1 }, { width: 8 }, { width: 300 }],
  generate: skidBuffer,
});
