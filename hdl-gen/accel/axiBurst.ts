/**
 * The AXI rules both DMA engines (axiDma.ts reads, axiWriteDma.ts writes)
 * share, in one place: a burst is min(maxBurst, beats left in the job, beats
 * to the next 4 KiB boundary), since AXI4 forbids a burst that crosses one
 * (IHI0022, A3.4.1); and AxSIZE / address steps are log2 of the beat's bytes.
 */
import { unsigned } from '../../src/arith/index.ts';
import type { AxiSettings } from '../../src/accel/index.ts';
import { type Expr, constant, mux } from '../dsl/expr.ts';

/** log2 of a beat's bytes (dataBytes is a power of two: axiDataBits is validated to 32-1024). */
export function beatShift(s: AxiSettings): number {
  const n = Math.round(Math.log2(s.dataBytes));
  if (2 ** n !== s.dataBytes) throw new RangeError(`axiBurst: ${s.dataBytes} bytes per beat is not a power of two (this is a bug: the config is validated)`);
  return n;
}

/** The smaller of two unsigned expressions. */
export const minExpr = (a: Expr, b: Expr): Expr => mux(a.lt(b), a, b);

/**
 * The next burst's beats (9 bits: at most 256) for a burst starting at `addr`
 * with `left` beats of the job to go (countBits wide).
 */
export function burstBeats(s: AxiSettings, addr: Expr, left: Expr, countBits: number): Expr {
  const toPage = constant(4096, unsigned(13)).sub(addr.slice(11, 0)).resize(unsigned(13)).shr(beatShift(s));
  return minExpr(minExpr(constant(s.maxBurst, unsigned(9)).resize(unsigned(countBits)), left), toPage.resize(unsigned(countBits))).resize(unsigned(9));
}
