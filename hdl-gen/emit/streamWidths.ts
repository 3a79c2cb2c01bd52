/**
 * The stream convention of co-simulated tops: clk, rst (synchronous, active
 * high), in_valid/in_ready/in_data and out_valid/out_ready/out_data.
 */
import type { Module } from '../dsl/module.ts';

const ONE_BIT: readonly [string, 'input' | 'output'][] = [
  ['clk', 'input'],
  ['rst', 'input'],
  ['in_valid', 'input'],
  ['in_ready', 'output'],
  ['out_valid', 'output'],
  ['out_ready', 'input'],
];

/** The rule the module breaks, or undefined when it follows the convention. */
export function streamProblem(m: Module): string | undefined {
  const ports = new Map(m.ports.map((p) => [p.name, p]));
  for (const [name, dir] of ONE_BIT) {
    const p = ports.get(name);
    if (p === undefined) return `has no port ${name}`;
    if (p.kind !== dir || p.shape.width !== 1) return `port ${name} must be a 1-bit ${dir}`;
  }
  const i = ports.get('in_data');
  const o = ports.get('out_data');
  if (i === undefined || i.kind !== 'input') return 'needs an input port in_data';
  if (o === undefined || o.kind !== 'output') return 'needs an output port out_data';
  if (ports.size !== 8) return `has ${ports.size} ports: a stream top has exactly clk, rst, in_valid, in_ready, in_data, out_valid, out_ready, out_data`;
  return undefined;
}

export function streamWidths(m: Module): { inWidth: number; outWidth: number } | undefined {
  if (streamProblem(m) !== undefined) return undefined;
  const find = (n: string): number => m.ports.find((p) => p.name === n)!.shape.width;
  return { inWidth: find('in_data'), outWidth: find('out_data') };
}
