/**
 * How an elementwise unit packs its lanes into a stream word: every lane
 * carries the same record of fields (data and, for per-channel units, the
 * channel's parameters), field 0 in the lane's low bits, lane 0 in the word's
 * low bits. The same layout object slices the word in the generated RTL and
 * packs/unpacks words in TypeScript, so the two cannot disagree.
 */
import { type Shape, fits, fromBits, minOf, maxOf, shapeName, toBits } from '../../../src/arith/index.ts';
import { bus } from '../../dsl/busShape.ts';
import { DslError } from '../../dsl/dslError.ts';
import type { Expr } from '../../dsl/expr.ts';
import type { Module } from '../../dsl/module.ts';

export interface FieldSpec {
  readonly name: string;
  readonly shape: Shape;
}

/** One lane's values by field name. */
export type LaneValues = Readonly<Record<string, bigint>>;
/** One lane's expressions by field name; `LaneExprs<'acc' | 'bias'>` has those fields for sure. */
export type LaneExprs<F extends string = string> = Readonly<Record<F, Expr>>;

/** True when the lane record has every named field (the type guard typed stages rely on). */
export function hasFields<F extends string>(rec: LaneExprs, names: readonly F[]): rec is LaneExprs & LaneExprs<F> {
  return names.every((n) => rec[n] !== undefined);
}

export interface LaneLayout {
  readonly fields: readonly FieldSpec[];
  readonly lanes: number;
  /** Bits of one lane. */
  readonly laneWidth: number;
  /** Bits of the whole word: lanes x laneWidth. */
  readonly width: number;
  /** The bus shape of the stream word. */
  readonly shape: Shape;
}

export function laneLayout(fields: readonly FieldSpec[], lanes: number): LaneLayout {
  if (fields.length === 0) throw new DslError('laneLayout: needs at least one field');
  if (!Number.isInteger(lanes) || lanes < 1) throw new DslError(`laneLayout: lanes ${String(lanes)} is invalid: must be a positive integer`);
  const laneWidth = fields.reduce((w, f) => w + f.shape.width, 0);
  return Object.freeze({ fields: Object.freeze([...fields]), lanes, laneWidth, width: laneWidth * lanes, shape: bus(laneWidth * lanes) });
}

function fieldOffset(l: LaneLayout, index: number): number {
  let o = 0;
  for (let i = 0; i < index; i++) o += l.fields[i]!.shape.width;
  return o;
}

/** Wires `l<lane>_<field>` slicing `data`, each read with its field's signedness. */
export function readLanes(m: Module, l: LaneLayout, data: Expr): LaneExprs[] {
  const out: LaneExprs[] = [];
  for (let lane = 0; lane < l.lanes; lane++) {
    const rec: Record<string, Expr> = {};
    l.fields.forEach((f, i) => {
      const lo = lane * l.laneWidth + fieldOffset(l, i);
      const bits = data.slice(lo + f.shape.width - 1, lo);
      rec[f.name] = m.wire(`l${lane}_${f.name}`, f.shape.signed ? bits.asSigned() : bits);
    });
    out.push(rec);
  }
  return out;
}

/** Packs one word; every value must fit its field (no silent wrap: a test that wraps its stimulus tests nothing). */
export function packLanes(l: LaneLayout, lanes: readonly LaneValues[]): bigint {
  if (lanes.length !== l.lanes) throw new RangeError(`packLanes: got ${lanes.length} lanes, the layout has ${l.lanes}`);
  let word = 0n;
  for (let lane = l.lanes - 1; lane >= 0; lane--) {
    for (let i = l.fields.length - 1; i >= 0; i--) {
      const f = l.fields[i]!;
      const v = lanes[lane]![f.name];
      if (v === undefined) throw new RangeError(`packLanes: lane ${lane} has no value for field ${f.name}`);
      if (!fits(v, f.shape)) {
        throw new RangeError(`packLanes: lane ${lane} field ${f.name} = ${v} does not fit ${shapeName(f.shape)} (${minOf(f.shape)}..${maxOf(f.shape)})`);
      }
      word = (word << BigInt(f.shape.width)) | toBits(v, f.shape);
    }
  }
  return word;
}

/** Inverse of packLanes. */
export function unpackLanes(l: LaneLayout, word: bigint): LaneValues[] {
  const out: LaneValues[] = [];
  let w = BigInt.asUintN(l.width, word);
  for (let lane = 0; lane < l.lanes; lane++) {
    const rec: Record<string, bigint> = {};
    for (const f of l.fields) {
      rec[f.name] = fromBits(BigInt.asUintN(f.shape.width, w), f.shape);
      w >>= BigInt(f.shape.width);
    }
    out.push(rec);
  }
  return out;
}
