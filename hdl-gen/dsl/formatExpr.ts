/** A one-line, readable rendering of an expression tree, for messages and fuzz reports. */
import { shapeName } from '../../src/arith/index.ts';
import type { Expr } from './expr.ts';

export function formatExpr(e: Expr): string {
  const n = e.node;
  switch (n.kind) {
    case 'const':
      return `${n.value}:${shapeName(e.shape)}`;
    case 'ref':
      return n.signal.name;
    case 'binary':
      return `${n.op}(${formatExpr(n.a)}, ${formatExpr(n.b)})`;
    case 'unary':
      return `${n.op}(${formatExpr(n.a)})`;
    case 'shlConst':
    case 'shrConst':
      return `${n.kind}(${formatExpr(n.a)}, ${n.k})`;
    case 'slice':
      return `${formatExpr(n.a)}[${n.hi}:${n.lo}]`;
    case 'concat':
      return `cat(${n.parts.map(formatExpr).join(', ')})`;
    case 'mux':
      return `mux(${formatExpr(n.sel)}, ${formatExpr(n.whenTrue)}, ${formatExpr(n.whenFalse)})`;
    case 'resize':
      return `resize(${formatExpr(n.a)}, ${shapeName(e.shape)})`;
    case 'clamp':
      return `clamp(${formatExpr(n.a)}, ${n.lo}, ${n.hi})`;
    case 'roundShift':
      return `roundShift(${formatExpr(n.a)}, ${n.k}, ${n.mode})`;
  }
}
