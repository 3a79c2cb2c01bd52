/**
 * What an emitted expression node becomes: a bit range of a named net, or a
 * literal. Slices, constant right shifts and truncations are ranges of an
 * existing net (no new wire). Every text produced here records which bits of
 * which net it reads, so the emitter can sink exactly the unread bits.
 */
import { type Shape, toBits } from '../../src/arith/index.ts';
import { internalError } from '../dsl/dslError.ts';
import { literal } from './literal.ts';

export type Operand =
  | {
      readonly kind: 'net';
      readonly name: string;
      /** Declared width of the net (a 1-bit net is declared without a range). */
      readonly declWidth: number;
      /** Offset of this operand's bit 0 within the net. */
      readonly lo: number;
      readonly width: number;
      readonly signed: boolean;
    }
  | { readonly kind: 'lit'; readonly bits: bigint; readonly width: number; readonly signed: boolean };

export function netOperand(name: string, s: Shape): Operand {
  return { kind: 'net', name, declWidth: s.width, lo: 0, width: s.width, signed: s.signed };
}

export function litOperand(value: bigint, s: Shape): Operand {
  return { kind: 'lit', bits: toBits(value, s), width: s.width, signed: s.signed };
}

/** Records the bits read of each net and renders operands as text. */
export class OperandWriter {
  readonly #used = new Map<string, bigint>();

  /** Bits [hi:lo] of the operand (relative to the operand), as text. */
  bits(op: Operand, hi: number, lo: number): string {
    if (lo < 0 || hi < lo || hi >= op.width) internalError(`bits [${hi}:${lo}] of a ${op.width}-bit operand`);
    if (op.kind === 'lit') return literal(BigInt.asUintN(hi - lo + 1, op.bits >> BigInt(lo)), hi - lo + 1);
    const aHi = op.lo + hi;
    const aLo = op.lo + lo;
    this.#record(op.name, aHi, aLo);
    if (aHi - aLo + 1 === op.declWidth) return op.name;
    return aHi === aLo ? `${op.name}[${aHi}]` : `${op.name}[${aHi}:${aLo}]`;
  }

  full(op: Operand): string {
    return this.bits(op, op.width - 1, 0);
  }

  /** The operand sign- or zero-extended (by its own signedness) to `width` bits. */
  ext(op: Operand, width: number): string {
    if (width < op.width) internalError(`ext to ${width} of a ${op.width}-bit operand`);
    if (width === op.width) return this.full(op);
    const n = width - op.width;
    if (op.kind === 'lit') {
      const negative = op.signed && op.bits >> BigInt(op.width - 1) === 1n;
      const high = negative ? ((1n << BigInt(n)) - 1n) << BigInt(op.width) : 0n;
      return literal(high | op.bits, width);
    }
    if (!op.signed) return `{${literal(0n, n)}, ${this.full(op)}}`;
    const msb = this.bits(op, op.width - 1, op.width - 1);
    return n === 1 ? `{${msb}, ${this.full(op)}}` : `{{${n}{${msb}}}, ${this.full(op)}}`;
  }

  /** The operand's bits [hi:lo] as a new operand read with `signed`. */
  slice(op: Operand, hi: number, lo: number, signed: boolean): Operand {
    if (lo < 0 || hi < lo || hi >= op.width) internalError(`slice [${hi}:${lo}] of a ${op.width}-bit operand`);
    if (op.kind === 'lit') return { kind: 'lit', bits: BigInt.asUintN(hi - lo + 1, op.bits >> BigInt(lo)), width: hi - lo + 1, signed };
    return { ...op, lo: op.lo + lo, width: hi - lo + 1, signed };
  }

  /** Marks a whole net as read (clock, reset). */
  touch(name: string, width: number): void {
    this.#record(name, width - 1, 0);
  }

  /** Unread bit ranges [hi, lo] of a net, most significant first. */
  unusedRanges(name: string, width: number): [number, number][] {
    // One string conversion, then a scan: shifting a 64 Ki-bit BigInt per bit would be quadratic.
    const used = (this.#used.get(name) ?? 0n).toString(2).padStart(width, '0');
    const out: [number, number][] = [];
    let i = width - 1;
    while (i >= 0) {
      if (used[width - 1 - i] === '1') {
        i--;
        continue;
      }
      const hi = i;
      while (i >= 0 && used[width - 1 - i] === '0') i--;
      out.push([hi, i + 1]);
    }
    return out;
  }

  #record(name: string, hi: number, lo: number): void {
    const mask = ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
    this.#used.set(name, (this.#used.get(name) ?? 0n) | mask);
  }
}
