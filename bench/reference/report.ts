import type { ReferenceBenchResult } from './pointwiseBench.ts';

/** The reference bench's result as the lines `npm run bench` prints. */
export function formatReferenceBench(r: ReferenceBenchResult): string {
  const m = (v: number): string => `${(v / 1e6).toFixed(0)} M MAC/s`;
  return (
    `pointwise conv ${r.shape.pixels} px x ${r.shape.inC} -> ${r.shape.outC} (${(r.macsPerRun / 1e6).toFixed(1)} M MACs), best of 15:\n` +
    `  TypeScript (node ${process.version}): ${m(r.tsMacPerSecond)}\n` +
    `  C++ same blocked loop (${r.compiler}, -O2): ${m(r.cppMacPerSecond)}\n` +
    `  C++ naive triple loop (-O2): ${m(r.cppNaiveMacPerSecond)}\n` +
    `  g++ is ${r.slowdownVsCpp.toFixed(2)}x faster on the same loop (target <= 3x); TypeScript target >= 100 M MAC/s: ${r.tsMacPerSecond >= 1e8 ? 'met' : 'NOT met'}\n` +
    `  outputs agree: ${r.checksumsAgree ? 'yes' : 'NO'}\n`
  );
}
