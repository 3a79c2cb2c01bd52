// Generator configs are validated by each unit's zod schema; a bad value
// gives one line naming the unit, the field, the value and the rule.
import { describe, expect, it } from 'vitest';
import { ConfigError, REGISTRY, findGenerator } from '../../hdl-gen/generators/index.ts';

function message(unit: string, raw: unknown): string {
  try {
    findGenerator(unit)!.build(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`config ${JSON.stringify(raw)} of ${unit} was accepted`);
}

describe('config errors', () => {
  it('every default and lint point is valid', () => {
    for (const g of REGISTRY) {
      for (const p of [g.defaultConfig, ...g.lintPoints]) expect(() => g.parse(p)).not.toThrow();
    }
  });

  it('names field, value and rule; lists every problem', () => {
    expect(message('dot_product', { lanes: 0, weightSigned: 'maybe', lanse: 3 })).toBe(
      'unit dot_product: config field lanes = 0 is invalid: must be an integer from 1 to 256; ' +
        'config field weightSigned = "maybe" is invalid: must be true or false; config field lanse is unknown',
    );
    expect(message('skid_buffer', { width: 2.5 })).toBe('unit skid_buffer: config field width = 2.5 is invalid: must be an integer from 1 to 65536');
    expect(message('fifo', { name: 'x; assign y = 1;' })).toBe(
      'unit fifo: config field name = "x; assign y = 1;" is invalid: a module name is not an identifier: it must match /^[A-Za-z][A-Za-z0-9_]*$/ (a letter, then letters, digits or _)',
    );
    expect(message('fifo', { name: 'always' })).toBe('unit fifo: config field name = "always" is invalid: a module name is a Verilog-2005 keyword: pick another name');
    expect(message('lookup_table', { input: 's0' })).toBe(
      'unit lookup_table: config field input = "s0" is invalid: must be a shape: s or u then a width from 1 to 256 (e.g. "s8", "u12")',
    );
    expect(message('dot_product', 'lanes=4')).toBe('unit dot_product: config = "lanes=4" is invalid: Invalid input: expected object, received string');
  });

  it('rules checked after the schema also name their field', () => {
    expect(message('lookup_table', { input: 'u1', output: 'u2', values: [1, 7] })).toBe(
      'unit lookup_table: config field values[1] = 7 is invalid: must fit output u2 (0..3)',
    );
    expect(message('lookup_table', { input: 'u2', output: 'u2', values: [1] })).toBe(
      'unit lookup_table: config field values has 1 entries: input u2 needs exactly 4',
    );
  });

  it('comb_expr expressions: schema errors and DSL rules name the JSON path', () => {
    expect(message('comb_expr', { inputs: ['s8'], outputs: [{ op: 'pow', a: { op: 'leaf', index: 0 } }] })).toMatch(
      /^unit comb_expr: config field outputs\[0\]\.op = "pow" is invalid: Invalid discriminator value/,
    );
    expect(
      message('comb_expr', {
        inputs: ['s8', 's3'],
        outputs: [{ op: 'add', a: { op: 'leaf', index: 0 }, b: { op: 'shl', a: { op: 'leaf', index: 0 }, b: { op: 'leaf', index: 1 } } }],
      }),
    ).toBe('unit comb_expr: config field outputs[0].b (op shl): module comb_expr: shl of leaf0 (s8), leaf1 (s3): shift amount is s3: a variable shift amount must be unsigned');
    expect(message('comb_expr', { inputs: ['s8'], outputs: [{ op: 'leaf', index: 3 }] })).toBe('unit comb_expr: config field outputs[0] (op leaf): leaf index 3 is past the 1 inputs');
  });
});
