/** $readmemh contents: one entry per line, two's-complement bits, zero-padded hex. */
import { type Shape, toBits } from '../../src/arith/index.ts';

export function hexFileText(contents: readonly bigint[], s: Shape): string {
  const digits = Math.ceil(s.width / 4);
  return contents.map((v) => toBits(v, s).toString(16).padStart(digits, '0')).join('\n') + '\n';
}
