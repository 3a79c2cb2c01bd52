import { SimError } from './simError.ts';

/** Bytes one transaction of `widthBits` occupies: ceil(width / 8), little-endian. */
export function bytesPerTransaction(widthBits: number): number {
  return Math.ceil(widthBits / 8);
}

/** Reads transaction `index` as an unsigned value; bits above the width are ignored. */
export function readValue(bytes: Uint8Array, index: number, widthBits: number): bigint {
  const n = bytesPerTransaction(widthBits);
  const base = index * n;
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[base + i] ?? 0);
  return BigInt.asUintN(widthBits, v);
}

/** Writes `value` mod 2^width as transaction `index`. */
export function writeValue(bytes: Uint8Array, index: number, widthBits: number, value: bigint): void {
  const n = bytesPerTransaction(widthBits);
  let v = BigInt.asUintN(widthBits, value);
  const base = index * n;
  for (let i = 0; i < n; i++) {
    bytes[base + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Packs values (each taken mod 2^width) into the wire format. */
export function packValues(values: readonly bigint[], widthBits: number): Uint8Array {
  if (!Number.isInteger(widthBits) || widthBits < 1) {
    throw new SimError(`packValues widthBits ${widthBits} must be a positive integer`);
  }
  const out = new Uint8Array(values.length * bytesPerTransaction(widthBits));
  values.forEach((v, i) => writeValue(out, i, widthBits, v));
  return out;
}

/** Unpacks `count` transactions from the wire format. */
export function unpackValues(bytes: Uint8Array, count: number, widthBits: number): bigint[] {
  const out: bigint[] = new Array<bigint>(count);
  for (let i = 0; i < count; i++) out[i] = readValue(bytes, i, widthBits);
  return out;
}
