/**
 * fifo: a 2^depthLog2-entry stream FIFO on a RAM with synchronous write and
 * asynchronous read (first word falls through: out_data is valid in the
 * cycle out_valid rises). Read and write pointers carry one extra wrap bit,
 * so full and empty are told apart without a counter.
 */
import { z } from 'zod';
import { unsigned } from '../../src/arith/index.ts';
import { bus } from '../dsl/busShape.ts';
import { Module } from '../dsl/module.ts';
import { intIn, moduleName } from './configFields.ts';
import { defineGenerator } from './defineGenerator.ts';

export const fifoConfig = z.strictObject({
  name: moduleName.default('fifo'),
  width: intIn(1, 1024).default(16),
  depthLog2: intIn(1, 10).default(4),
});
export type FifoConfig = z.output<typeof fifoConfig>;

export function fifo(c: FifoConfig): Module {
  const m = new Module(c.name, {
    generator: 'fifo',
    config: c,
    description: `${2 ** c.depthLog2}-entry FIFO, RAM with async read (first word fall-through)`,
  });
  const a = c.depthLog2;
  const ptr = unsigned(a + 1);
  const data = bus(c.width);
  const inp = m.streamIn('in', data);
  const out = m.streamOut('out', data);
  const wptr = m.reg('wptr', ptr, { reset: 0 });
  const rptr = m.reg('rptr', ptr, { reset: 0 });

  const sameSlot = wptr.slice(a - 1, 0).eq(rptr.slice(a - 1, 0));
  const empty = m.wire('empty', wptr.eq(rptr));
  // Same slot, different wrap bit: the writer is a whole lap ahead.
  const full = m.wire('full', sameSlot.and(wptr.bit(a).ne(rptr.bit(a))));
  const inFire = m.wire('in_fire', inp.valid.and(full.not()));
  const outFire = m.wire('out_fire', out.ready.and(empty.not()));

  const mem = m.ram('entries', {
    shape: data,
    writeAddr: wptr.slice(a - 1, 0),
    writeData: inp.data,
    writeEnable: inFire,
    readAddr: rptr.slice(a - 1, 0),
    read: 'async',
  });
  // Pointers wrap modulo 2^(a+1): the truncate is the intended wrap.
  m.update(wptr, wptr.add(1).truncate(a + 1), { enable: inFire });
  m.update(rptr, rptr.add(1).truncate(a + 1), { enable: outFire });

  m.assign(inp.ready, full.not());
  m.assign(out.valid, empty.not());
  m.assign(out.data, mem);
  return m;
}

export const fifoGenerator = defineGenerator({
  name: 'fifo',
  description: 'stream FIFO on a RAM (sync write, async read), 2^depthLog2 entries',
  schema: fifoConfig,
  defaultConfig: { width: 16, depthLog2: 4 },
  lintPoints: [
    { width: 1, depthLog2: 1 },
    { width: 8, depthLog2: 4 },
    { width: 72, depthLog2: 6 },
  ],
  generate: fifo,
});
