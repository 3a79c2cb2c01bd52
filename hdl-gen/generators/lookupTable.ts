/**
 * lookup_table: out_data = table[in_data] from a ROM with a synchronous read
 * (block-RAM style), e.g. a nonlinear activation on low-bit codes. The ROM's
 * output register is the pipeline register: while the output stalls the ROM
 * keeps reading the last accepted address, so out_data holds.
 *
 * Entry i is the output for the input whose bit pattern is i (for a signed
 * input, patterns from 2^(w-1) up are the negative values).
 */
import { z } from 'zod';
import { type Shape, fits, fromBits, maxOf, minOf, shapeName, unsigned } from '../../src/arith/index.ts';
import { mux } from '../dsl/expr.ts';
import { Module } from '../dsl/module.ts';
import { ConfigError } from './configError.ts';
import { intText, moduleName, parseIntText, parseShapeText, shapeText } from './configFields.ts';
import { defineGenerator } from './defineGenerator.ts';

const MAX_LUT_INPUT_BITS = 12;

export const lookupTableConfig = z.strictObject({
  name: moduleName.default('lookup_table'),
  input: shapeText.default('s4'),
  output: shapeText.default('u8'),
  /** One value per input pattern; absent: the square of the input, saturated to the output shape. */
  values: z.array(intText).optional(),
});
export type LookupTableConfig = z.output<typeof lookupTableConfig>;

function tableValues(c: LookupTableConfig, inS: Shape, outS: Shape): bigint[] {
  const n = 2 ** inS.width;
  if (c.values === undefined) {
    return Array.from({ length: n }, (_, i) => {
      const x = fromBits(BigInt(i), inS);
      const sq = x * x;
      return sq > maxOf(outS) ? maxOf(outS) : sq < minOf(outS) ? minOf(outS) : sq;
    });
  }
  if (c.values.length !== n) {
    throw new ConfigError(`config field values has ${c.values.length} entries: input ${c.input} needs exactly ${n}`);
  }
  return c.values.map((v, i) => {
    const b = parseIntText(v);
    if (!fits(b, outS)) {
      throw new ConfigError(`config field values[${i}] = ${JSON.stringify(v)} is invalid: must fit output ${shapeName(outS)} (${minOf(outS)}..${maxOf(outS)})`);
    }
    return b;
  });
}

export function lookupTable(c: LookupTableConfig): Module {
  const inS = parseShapeText(c.input);
  const outS = parseShapeText(c.output);
  if (inS.width > MAX_LUT_INPUT_BITS) {
    throw new ConfigError(`config field input = ${JSON.stringify(c.input)} is invalid: a table input has at most ${MAX_LUT_INPUT_BITS} bits`);
  }
  const table = tableValues(c, inS, outS);
  const m = new Module(c.name, {
    generator: 'lookup_table',
    config: c,
    description: `${table.length}-entry lookup table ${c.input} -> ${c.output}, ROM with synchronous read`,
  });
  const inp = m.streamIn('in', inS);
  const out = m.streamOut('out', outS);
  const valid = m.reg('valid_q', unsigned(1), { reset: 0 });
  const ready = m.wire('ready', valid.not().or(out.ready));
  const accept = m.wire('accept', ready.and(inp.valid));
  const pattern = inp.data.asUnsigned();
  const lastAddr = m.reg('last_addr', pattern.shape, { reset: 0 });
  m.update(lastAddr, pattern, { enable: accept });
  const data = m.rom('lut', { shape: outS, contents: table, addr: mux(accept, pattern, lastAddr), read: 'sync' });
  m.update(valid, inp.valid, { enable: ready });
  m.assign(inp.ready, ready);
  m.assign(out.valid, valid);
  m.assign(out.data, data);
  return m;
}

export const lookupTableGenerator = defineGenerator({
  name: 'lookup_table',
  description: 'stream lookup table (ROM, synchronous read, $readmemh), e.g. an activation on low-bit codes',
  schema: lookupTableConfig,
  defaultConfig: { input: 's4', output: 'u8' },
  lintPoints: [
    { input: 'u1', output: 'u1', values: [1, 0] },
    { input: 's4', output: 'u8' },
    { input: 'u8', output: 's16' },
  ],
  generate: lookupTable,
});
