/**
 * The arithmetic operations the cost model knows, each with the operand
 * widths its cost depends on.
 *
 * One operation kind per row of the cost table (see costTable.ts and
 * docs/acev2.md). Signedness is not part of an operation: neither ACE nor the
 * conventions this project starts from cost a signed operation differently
 * from an unsigned one of the same width.
 */
import { MAX_WIDTH } from '../arith/index.ts';

export const FLOAT_FORMATS = ['fp16', 'bf16', 'fp32'] as const;
export type FloatFormat = (typeof FLOAT_FORMATS)[number];

/** Storage width of each float format (bits). */
export const FLOAT_FORMAT_BITS: Readonly<Record<FloatFormat, number>> = Object.freeze({ fp16: 16, bf16: 16, fp32: 32 });

export const OP_KINDS = [
  'mac',
  'floatMac',
  'intMul',
  'intAdd',
  'compare',
  'shiftConst',
  'shiftVar',
  'floatMul',
  'floatAdd',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

/**
 * An integer multiply-accumulate: a `weight`-bit by `activation`-bit product
 * added into an `acc`-bit accumulator. ACE costs it weight x activation and
 * gives accumulation no separate term (PokeBNN); the energy model does charge
 * the accumulator add, which is why `acc` is carried.
 */
export interface MacOp {
  readonly kind: 'mac';
  readonly weight: number;
  readonly activation: number;
  readonly acc: number;
}
/** A floating-point multiply-accumulate (the float32 baseline's MACs). */
export interface FloatMacOp {
  readonly kind: 'floatMac';
  readonly format: FloatFormat;
}
/** Integer multiply of an a-bit by a b-bit operand. */
export interface IntMulOp {
  readonly kind: 'intMul';
  readonly a: number;
  readonly b: number;
}
/** Integer add or subtract of an a-bit and a b-bit operand. */
export interface IntAddOp {
  readonly kind: 'intAdd';
  readonly a: number;
  readonly b: number;
}
/** Compare (one side of a clamp, a ReLU's sign test, a max) at `width` bits;
 *  a float compare is costed as an integer compare of its bit pattern. */
export interface CompareOp {
  readonly kind: 'compare';
  readonly width: number;
}
/** Shift of a `width`-bit value by a constant: wiring. Its rounding add, when
 *  it rounds, is a separate intAdd. */
export interface ShiftConstOp {
  readonly kind: 'shiftConst';
  readonly width: number;
}
/** Shift of a `width`-bit value by a run-time amount of `amountBits` bits
 *  (a barrel shifter with amountBits = log2(shift range) stages). */
export interface ShiftVarOp {
  readonly kind: 'shiftVar';
  readonly width: number;
  readonly amountBits: number;
}
export interface FloatMulOp {
  readonly kind: 'floatMul';
  readonly format: FloatFormat;
}
/** Float add or subtract. A float-to-integer rounding done with the
 *  magic-number trick (x + 1.5 * 2^23) is also one float add. */
export interface FloatAddOp {
  readonly kind: 'floatAdd';
  readonly format: FloatFormat;
}

export type Op =
  | MacOp
  | FloatMacOp
  | IntMulOp
  | IntAddOp
  | CompareOp
  | ShiftConstOp
  | ShiftVarOp
  | FloatMulOp
  | FloatAddOp;

export class OpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpError';
  }
}

function checkWidth(w: number, field: string, key: string): void {
  if (!Number.isInteger(w) || w < 1 || w > MAX_WIDTH) {
    throw new OpError(`${key}: ${field} ${String(w)} is invalid: a width must be an integer from 1 to ${MAX_WIDTH}`);
  }
}

/**
 * Canonical text of an operation: the key ops are grouped by in a tally and
 * the form users write in a cost table's overrides. Examples: `mac 4x4 acc19`,
 * `intMul 8x19`, `intAdd 27x27`, `compare 32`, `shiftConst 28`,
 * `shiftVar 32 by 5`, `floatMul fp32`.
 */
export function opKey(op: Op): string {
  switch (op.kind) {
    case 'mac':
      return `mac ${op.weight}x${op.activation} acc${op.acc}`;
    case 'intMul':
    case 'intAdd':
      return `${op.kind} ${op.a}x${op.b}`;
    case 'compare':
    case 'shiftConst':
      return `${op.kind} ${op.width}`;
    case 'shiftVar':
      return `shiftVar ${op.width} by ${op.amountBits}`;
    case 'floatMac':
    case 'floatMul':
    case 'floatAdd':
      return `${op.kind} ${op.format}`;
  }
}

/** Checks every width of an operation; returns it frozen. Throws OpError
 *  naming the operation, the field and the value. */
export function checkOp(op: Op): Op {
  const key = opKey(op);
  switch (op.kind) {
    case 'mac':
      checkWidth(op.weight, 'weight width', key);
      checkWidth(op.activation, 'activation width', key);
      checkWidth(op.acc, 'accumulator width', key);
      break;
    case 'intMul':
    case 'intAdd':
      checkWidth(op.a, 'width a', key);
      checkWidth(op.b, 'width b', key);
      break;
    case 'compare':
    case 'shiftConst':
      checkWidth(op.width, 'width', key);
      break;
    case 'shiftVar':
      checkWidth(op.width, 'width', key);
      checkWidth(op.amountBits, 'shift amount width', key);
      break;
    case 'floatMac':
    case 'floatMul':
    case 'floatAdd':
      if (!(FLOAT_FORMATS as readonly string[]).includes(op.format)) {
        throw new OpError(`${key}: float format ${JSON.stringify(op.format)} is unknown: expected one of ${FLOAT_FORMATS.join(', ')}`);
      }
      break;
  }
  return Object.freeze({ ...op });
}

const INT = String.raw`([1-9][0-9]*)`;
const KEY_PATTERNS: ReadonlyArray<readonly [RegExp, (m: RegExpMatchArray) => Op]> = [
  [new RegExp(`^mac ${INT}x${INT} acc${INT}$`), (m) => ({ kind: 'mac', weight: +m[1]!, activation: +m[2]!, acc: +m[3]! })],
  [new RegExp(`^(intMul|intAdd) ${INT}x${INT}$`), (m) => ({ kind: m[1] as 'intMul' | 'intAdd', a: +m[2]!, b: +m[3]! })],
  [new RegExp(`^(compare|shiftConst) ${INT}$`), (m) => ({ kind: m[1] as 'compare' | 'shiftConst', width: +m[2]! })],
  [new RegExp(`^shiftVar ${INT} by ${INT}$`), (m) => ({ kind: 'shiftVar', width: +m[1]!, amountBits: +m[2]! })],
  [/^(floatMac|floatMul|floatAdd) (\S+)$/, (m) => ({ kind: m[1] as 'floatMac', format: m[2] as FloatFormat })],
];

/** Inverse of opKey; throws OpError naming the text and the expected forms. */
export function parseOpKey(text: string): Op {
  for (const [re, build] of KEY_PATTERNS) {
    const m = text.match(re);
    if (m) return checkOp(build(m));
  }
  const kind = text.split(' ')[0] ?? '';
  if (!(OP_KINDS as readonly string[]).includes(kind)) {
    throw new OpError(`operation ${JSON.stringify(text)}: kind ${JSON.stringify(kind)} is unknown: expected one of ${OP_KINDS.join(', ')}`);
  }
  throw new OpError(
    `operation ${JSON.stringify(text)} is malformed: expected a form like "mac 4x4 acc19", "intMul 8x19", "intAdd 27x27", "compare 32", "shiftConst 28", "shiftVar 32 by 5" or "floatMul fp32"`,
  );
}
