/** Sized Verilog literals. Every literal carries its width, so no context can resize it. */
import { internalError } from '../dsl/dslError.ts';

/** The unsigned bit pattern `bits` (0 <= bits < 2^width) as a sized literal. */
export function literal(bits: bigint, width: number): string {
  if (bits < 0n || bits >> BigInt(width) !== 0n) internalError(`literal: ${bits} is not a ${width}-bit pattern`);
  if (width === 1) return `1'b${bits}`;
  // Decimal reads best for the small constants datapaths use; hex keeps wide ones short.
  return width <= 32 ? `${width}'d${bits}` : `${width}'h${bits.toString(16)}`;
}
