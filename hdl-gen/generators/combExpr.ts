/**
 * comb_expr: any expressions over packed input fields as a stream module:
 * out_data = {f_k(leaves), ..., f_0(leaves)} registered once. Leaf i is a
 * field of in_data (leaf 0 in the low bits), read with its shape's
 * signedness; output 0 is in the low bits of out_data. The expression fuzzer
 * builds its designs with buildCombExpr; the registry entry reads the
 * expressions from JSON.
 */
import { z } from 'zod';
import type { Shape } from '../../src/arith/index.ts';
import { MAX_BUS_WIDTH, bus } from '../dsl/busShape.ts';
import { DslError } from '../dsl/dslError.ts';
import { type Expr, type Signal, cat } from '../dsl/expr.ts';
import { Module } from '../dsl/module.ts';
import type { ModuleMeta } from '../dsl/moduleTypes.ts';
import { registerStage } from '../lib/registerStage.ts';
import { moduleName, parseShapeText, shapeText } from './configFields.ts';
import { defineGenerator } from './defineGenerator.ts';
import { exprFromJson, exprJson } from './exprJson.ts';

export interface CombExprLayout {
  /** Bit offset of each leaf in in_data. */
  readonly leafOffsets: readonly number[];
  /** Bit offset of each output in out_data. */
  readonly outputOffsets: readonly number[];
  readonly inWidth: number;
  readonly outWidth: number;
}

/**
 * Builds the stream module. `build` receives `leaf(i)` (a wire named
 * `leaf<i>`, created on first use) and returns the output expressions.
 */
export function buildCombExpr(
  name: string,
  leaves: readonly Shape[],
  build: (leaf: (index: number) => Signal) => readonly Expr[],
  meta: ModuleMeta = {},
): { module: Module; outputs: readonly Expr[]; layout: CombExprLayout } {
  if (leaves.length === 0) throw new DslError(`comb_expr ${name}: needs at least one input leaf`);
  const leafOffsets: number[] = [];
  let inWidth = 0;
  for (const s of leaves) {
    leafOffsets.push(inWidth);
    inWidth += s.width;
  }
  const m = new Module(name, { description: 'expressions over packed input fields, one register stage', ...meta });
  const inp = m.streamIn('in', bus(inWidth));
  const wires = new Map<number, Signal>();
  const leaf = (i: number): Signal => {
    const s = leaves[i];
    if (s === undefined) throw new DslError(`comb_expr ${name}: leaf ${i} does not exist (there are ${leaves.length})`);
    let w = wires.get(i);
    if (w === undefined) {
      const lo = leafOffsets[i]!;
      const bits = inp.data.slice(lo + s.width - 1, lo);
      w = m.wire(`leaf${i}`, s.signed ? bits.asSigned() : bits);
      wires.set(i, w);
    }
    return w;
  };
  const outputs = build(leaf);
  if (outputs.length === 0) throw new DslError(`comb_expr ${name}: needs at least one output expression`);
  const outputOffsets: number[] = [];
  let outWidth = 0;
  for (const e of outputs) {
    outputOffsets.push(outWidth);
    outWidth += e.shape.width;
  }
  if (outWidth > MAX_BUS_WIDTH) throw new DslError(`comb_expr ${name}: outputs are ${outWidth} bits wide: at most ${MAX_BUS_WIDTH}`);
  // No leaf read at all (every output constant): in_data is deliberately unused.
  if (wires.size === 0) m.markUnused(inp.data);
  const out = m.streamOut('out', bus(outWidth));
  registerStage(m, inp, out, cat(...[...outputs].reverse()));
  return { module: m, outputs, layout: { leafOffsets, outputOffsets, inWidth, outWidth } };
}

export const combExprConfig = z.strictObject({
  name: moduleName.default('comb_expr'),
  inputs: z.array(shapeText).min(1, 'needs at least one input leaf shape'),
  outputs: z.array(exprJson).min(1, 'needs at least one output expression'),
});
export type CombExprConfig = z.output<typeof combExprConfig>;

export function combExpr(c: CombExprConfig): Module {
  const shapes = c.inputs.map(parseShapeText);
  return buildCombExpr(
    c.name,
    shapes,
    (leaf) =>
      c.outputs.map((o, i) =>
        exprFromJson(
          o,
          (index) => {
            if (index >= shapes.length) {
              throw new DslError(`leaf index ${index} is past the ${shapes.length} inputs`);
            }
            return leaf(index);
          },
          ['outputs', i],
        ),
      ),
    { generator: 'comb_expr', config: c },
  ).module;
}

export const combExprGenerator = defineGenerator({
  name: 'comb_expr',
  description: 'expressions (JSON trees over packed input fields) as a stream module with one register stage',
  schema: combExprConfig,
  defaultConfig: {
    inputs: ['s8', 'u8'],
    outputs: [{ op: 'roundShift', a: { op: 'mul', a: { op: 'leaf', index: 0 }, b: { op: 'leaf', index: 1 } }, k: 4, mode: 'rnu' }],
  },
  lintPoints: [
    {
      name: 'comb_expr_ops',
      inputs: ['s8', 'u5', 'u3', 's1', 'u1'],
      outputs: [
        ...(['add', 'sub', 'mul', 'and', 'or', 'xor', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).map((op) => ({
          op,
          a: { op: 'leaf' as const, index: 0 },
          b: { op: 'leaf' as const, index: 1 },
        })),
        { op: 'shl', a: { op: 'leaf', index: 0 }, b: { op: 'leaf', index: 2 } },
        { op: 'shr', a: { op: 'leaf', index: 0 }, b: { op: 'leaf', index: 2 } },
        { op: 'neg', a: { op: 'leaf', index: 1 } },
        { op: 'not', a: { op: 'leaf', index: 3 } },
        { op: 'relu', a: { op: 'leaf', index: 0 } },
        { op: 'shlConst', a: { op: 'leaf', index: 3 }, k: 3 },
        { op: 'shrConst', a: { op: 'leaf', index: 0 }, k: 9 },
        { op: 'slice', a: { op: 'leaf', index: 0 }, hi: 6, lo: 2 },
        { op: 'cat', parts: [{ op: 'leaf', index: 3 }, { op: 'const', value: 5, shape: 'u3' }, { op: 'leaf', index: 4 }] },
        { op: 'mux', sel: { op: 'leaf', index: 4 }, a: { op: 'leaf', index: 0 }, b: { op: 'leaf', index: 1 } },
        { op: 'resize', a: { op: 'leaf', index: 0 }, shape: 's12' },
        { op: 'saturate', a: { op: 'leaf', index: 0 }, shape: 'u4' },
        { op: 'clamp', a: { op: 'leaf', index: 0 }, lo: -3, hi: 100 },
        ...(['rdn', 'rnu', 'rne', 'rna', 'rod'] as const).map((mode) => ({
          op: 'roundShift' as const,
          a: { op: 'leaf' as const, index: 0 },
          k: 3,
          mode,
        })),
        { op: 'roundShift', a: { op: 'leaf', index: 3 }, k: 5, mode: 'rne' },
        { op: 'const', value: '-12345678901234567890', shape: 's72' },
      ],
    },
    { name: 'comb_expr_one_bit', inputs: ['u1'], outputs: [{ op: 'leaf', index: 0 }] },
    {
      // Expressions Verilator's own folding makes constant: -Wall rejects any
      // comparison that ends up constant, so the emitter must fold them first.
      name: 'comb_expr_degenerate',
      inputs: ['u8', 's8', 'u1'],
      outputs: [
        { op: 'and', a: { op: 'leaf', index: 0 }, b: { op: 'const', value: 0, shape: 'u1' } },
        { op: 'lt', a: { op: 'leaf', index: 0 }, b: { op: 'const', value: 0, shape: 'u1' } },
        { op: 'ge', a: { op: 'leaf', index: 0 }, b: { op: 'shrConst', a: { op: 'leaf', index: 0 }, k: 9 } },
        { op: 'ge', a: { op: 'leaf', index: 0 }, b: { op: 'xor', a: { op: 'leaf', index: 0 }, b: { op: 'leaf', index: 0 } } },
        { op: 'gt', a: { op: 'sub', a: { op: 'leaf', index: 1 }, b: { op: 'leaf', index: 1 } }, b: { op: 'leaf', index: 1 } },
        { op: 'eq', a: { op: 'leaf', index: 0 }, b: { op: 'leaf', index: 0 } },
        { op: 'mux', sel: { op: 'const', value: 1, shape: 'u1' }, a: { op: 'leaf', index: 0 }, b: { op: 'leaf', index: 1 } },
        { op: 'or', a: { op: 'leaf', index: 1 }, b: { op: 'const', value: -1, shape: 's1' } },
        { op: 'le', a: { op: 'mul', a: { op: 'leaf', index: 0 }, b: { op: 'const', value: 0, shape: 'u2' } }, b: { op: 'leaf', index: 2 } },
        { op: 'lt', a: { op: 'shr', a: { op: 'leaf', index: 0 }, b: { op: 'const', value: 9, shape: 'u4' } }, b: { op: 'leaf', index: 2 } },
        { op: 'le', a: { op: 'leaf', index: 0 }, b: { op: 'const', value: 255, shape: 'u8' } },
        { op: 'gt', a: { op: 'and', a: { op: 'leaf', index: 2 }, b: { op: 'lt', a: { op: 'leaf', index: 2 }, b: { op: 'const', value: 0, shape: 'u1' } } }, b: { op: 'leaf', index: 2 } },
      ],
    },
  ],
  generate: combExpr,
});
