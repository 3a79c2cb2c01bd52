import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_COST_TABLE, opCost, opAce } from '../../src/cost/costTable.ts';
import { type Op, opKey, parseOpKey, checkOp } from '../../src/cost/ops.ts';
import { parseCostTable, parseCostTableText, costTableToJson } from '../../src/cost/costTableFile.ts';
import { anyOp } from './arbitraries.ts';

const T = DEFAULT_COST_TABLE;

describe('default ACEv2 cost table', () => {
  it('costs each kind by the declared convention (hand-checked)', () => {
    expect(opCost(T, { kind: 'mac', weight: 4, activation: 4, acc: 19 })).toBe(16); // 4*4, no accumulation term
    expect(opCost(T, { kind: 'mac', weight: 8, activation: 4, acc: 30 })).toBe(32); // 8*4
    expect(opCost(T, { kind: 'intMul', a: 8, b: 19 })).toBe(152); // 8*19
    expect(opCost(T, { kind: 'intAdd', a: 27, b: 20 })).toBe(27); // max(27, 20)
    expect(opCost(T, { kind: 'compare', width: 32 })).toBe(32);
    expect(opCost(T, { kind: 'shiftConst', width: 28 })).toBe(0); // wiring
    expect(opCost(T, { kind: 'shiftVar', width: 32, amountBits: 5 })).toBe(160); // 32 * log2(32)
    expect(opCost(T, { kind: 'floatMul', format: 'fp32' })).toBe(1024); // 32^2
    expect(opCost(T, { kind: 'floatAdd', format: 'bf16' })).toBe(256); // 16^2
    expect(opCost(T, { kind: 'floatAdd', format: 'fp16' })).toBe(256);
    expect(opCost(T, { kind: 'floatMac', format: 'fp32' })).toBe(1024); // ACE with 32-bit operands
  });

  it('ACE is weight x activation bits for MACs and nothing for elementwise ops', () => {
    expect(opAce({ kind: 'mac', weight: 4, activation: 3, acc: 16 })).toBe(12);
    expect(opAce({ kind: 'floatMac', format: 'fp32' })).toBe(1024);
    expect(opAce({ kind: 'floatMul', format: 'fp32' })).toBe(0);
    expect(opAce({ kind: 'intMul', a: 8, b: 8 })).toBe(0);
  });

  it('the default table charges a MAC exactly its ACE', () => {
    fc.assert(
      fc.property(anyOp, (op) => {
        if (op.kind === 'mac' || op.kind === 'floatMac') expect(opCost(T, op)).toBe(opAce(op));
      }),
    );
  });

  it('cost never falls when any width grows', () => {
    const grow = (op: Op, by: number): Op[] => {
      switch (op.kind) {
        case 'mac':
          return [{ ...op, weight: op.weight + by }, { ...op, activation: op.activation + by }, { ...op, acc: op.acc + by }];
        case 'intMul':
        case 'intAdd':
          return [{ ...op, a: op.a + by }, { ...op, b: op.b + by }];
        case 'compare':
        case 'shiftConst':
          return [{ ...op, width: op.width + by }];
        case 'shiftVar':
          return [{ ...op, width: op.width + by }, { ...op, amountBits: op.amountBits + by }];
        default:
          return op.format === 'fp32' ? [] : [{ ...op, format: 'fp32' }];
      }
    };
    fc.assert(
      fc.property(anyOp, fc.integer({ min: 1, max: 16 }), (op, by) => {
        for (const bigger of grow(op, by)) expect(opCost(T, bigger)).toBeGreaterThanOrEqual(opCost(T, op));
      }),
    );
  });

  it('an override pins one operation and nothing else', () => {
    const t = { ...T, overrides: { 'intMul 8x19': 100 } };
    expect(opCost(t, { kind: 'intMul', a: 8, b: 19 })).toBe(100);
    expect(opCost(t, { kind: 'intMul', a: 19, b: 8 })).toBe(152);
  });
});

describe('operation keys', () => {
  it('round-trip through parseOpKey', () => {
    fc.assert(
      fc.property(anyOp, (op) => {
        expect(parseOpKey(opKey(op))).toEqual(op);
      }),
    );
  });
  it('refuse bad widths and formats, naming the field and value', () => {
    expect(() => checkOp({ kind: 'intAdd', a: 0, b: 4 })).toThrow('intAdd 0x4: width a 0 is invalid: a width must be an integer from 1 to 256');
    expect(() => checkOp({ kind: 'mac', weight: 4, activation: 2.5, acc: 9 })).toThrow('activation width 2.5 is invalid');
    expect(() => parseOpKey('floatMul fp8')).toThrow('float format "fp8" is unknown: expected one of fp16, bf16, fp32');
    expect(() => parseOpKey('divide 4x4')).toThrow('kind "divide" is unknown');
    expect(() => parseOpKey('intMul 4')).toThrow('"intMul 4" is malformed');
  });
});

describe('cost table files', () => {
  const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(costTableToJson(T))) as Record<string, unknown>;
  const rules = (j: Record<string, unknown>): Record<string, Record<string, unknown>> => j.rules as Record<string, Record<string, unknown>>;
  const refused = (mutate: (j: Record<string, unknown>) => void): string => {
    const j = good();
    mutate(j);
    try {
      parseCostTable(j, 'my-table.json');
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('the table was accepted');
  };

  it('the default table round-trips through JSON', () => {
    const back = parseCostTableText(JSON.stringify(costTableToJson(T)));
    expect(back).toEqual(T);
  });

  it('a user table changes the costs', () => {
    const j = good();
    rules(j).intAdd = { rule: 'sum', scale: 2 };
    rules(j).floatMul = { fp16: 100, bf16: 90, fp32: 400 };
    j.overrides = { 'compare 32': 5 };
    const t = parseCostTable(j);
    expect(opCost(t, { kind: 'intAdd', a: 3, b: 5 })).toBe(16); // 2 * (3 + 5)
    expect(opCost(t, { kind: 'floatMul', format: 'bf16' })).toBe(90);
    expect(opCost(t, { kind: 'compare', width: 32 })).toBe(5);
    expect(opCost(t, { kind: 'compare', width: 31 })).toBe(31);
  });

  it('refuses an unknown operation kind, naming it and the allowed ones', () => {
    expect(refused((j) => (rules(j).intDiv = { rule: 'product' }))).toBe(
      'my-table.json: rules: unknown field "intDiv": the fields allowed here are mac, intMul, intAdd, compare, shiftConst, shiftVar, floatMac, floatMul, floatAdd',
    );
  });
  it('refuses an unknown float format', () => {
    expect(refused((j) => (rules(j).floatAdd = { fp16: 1, bf16: 1, fp32: 1, fp8: 1 }))).toBe(
      'my-table.json: rules.floatAdd: unknown field "fp8": the fields allowed here are fp16, bf16, fp32',
    );
  });
  it('refuses a missing kind', () => {
    expect(refused((j) => delete rules(j).compare)).toBe('my-table.json: rules.compare: missing: this field is required');
  });
  it('refuses a rule that does not fit the kind', () => {
    expect(refused((j) => (rules(j).compare = { rule: 'product' }))).toBe(
      'my-table.json: rules.compare.rule: "product" is invalid: rule for compare must be one of width, zero',
    );
  });
  it('refuses a negative cost', () => {
    expect(refused((j) => (rules(j).floatMul = { fp16: 1, bf16: 1, fp32: -3 }))).toBe(
      'my-table.json: rules.floatMul.fp32: -3 is invalid: a cost must be >= 0',
    );
  });
  it('refuses overrides with unknown kinds, bad widths or non-canonical text', () => {
    expect(refused((j) => (j.overrides = { 'intDiv 4x4': 1 }))).toMatch(/^my-table\.json: overrides\["intDiv 4x4"\]: .*kind "intDiv" is unknown/);
    expect(refused((j) => (j.overrides = { 'intMul 999x4': 1 }))).toBe(
      'my-table.json: overrides["intMul 999x4"]: intMul 999x4: width a 999 is invalid: a width must be an integer from 1 to 256',
    );
    expect(refused((j) => (j.overrides = { 'intMul 0x4': 1 }))).toMatch(/overrides\["intMul 0x4"\]: operation "intMul 0x4" is malformed/);
    expect(refused((j) => (j.overrides = { 'floatMul fp64': 1 }))).toMatch(/float format "fp64" is unknown/);
  });
  it('refuses the wrong format tag and invalid JSON', () => {
    expect(refused((j) => (j.format = 'something-else'))).toMatch(/^my-table\.json: format: "something-else" is invalid/);
    expect(() => parseCostTableText('{', 'x.json')).toThrow(/^x\.json: not valid JSON/);
  });
});
