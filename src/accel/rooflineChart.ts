/**
 * Vega-Lite spec of a roofline plot for one network on the accelerator: one
 * point per layer at (operational intensity = MACs per byte of layer-by-layer
 * external traffic, attained MACs per cycle), with the compute ceilings of the
 * two engines (the lanes x lanes MAC array and its diagonal, lanes multipliers,
 * which runs depthwise, pooling and adds) and the memory ceiling at the stated
 * bandwidth (MACs/cycle = intensity x bytes/cycle). Log-log, as rooflines are
 * drawn. Rendered to SVG by src/cost/report/renderSvg.ts.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { AccelPerfReport } from './perfReport.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const ENGINE_COLOR = { domain: ['mac-array', 'diagonal'], range: ['#0072B2', '#D55E00'] };

export function rooflineSpec(r: AccelPerfReport): TopLevelSpec {
  const pts = r.layers.filter((l) => l.macs > 0 && l.intensity > 0);
  const xs = pts.map((l) => l.intensity);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...xs, 1)) - 0.3);
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...xs, 1)) + 0.3);
  const bw = r.bandwidthBytesPerCycle;
  const ceilings: { engine: string; x: number; y: number }[] = [];
  for (const [engine, peak] of [['mac-array', r.lanes * r.lanes], ['diagonal', r.lanes]] as const) {
    // The ridge point: where the memory ceiling meets the compute ceiling.
    const ridge = peak / bw;
    for (const x of [lo, Math.min(Math.max(ridge, lo), hi), hi]) ceilings.push({ engine, x, y: Math.min(peak, x * bw) });
  }
  const domain: number[] = [lo, hi];
  const X = { field: 'x', type: 'quantitative' as const, scale: { type: 'log' as const, domain }, title: 'operational intensity (MACs per byte of external traffic, layer by layer)' };
  const Y = { field: 'y', type: 'quantitative', scale: { type: 'log' }, title: 'attained MACs per cycle' } as const;
  // Filled: attained by this build's compute (on-chip: weights resident). Hollow: projected when the layer streams
  // its traffic at the stated bandwidth (only where that is slower: the layer is memory-bound there).
  const points = pts.map((l) => ({ x: l.intensity, y: l.attainedMacsPerCycle, engine: l.engine, name: l.name, op: l.op, utilization: l.utilization }));
  const streamed = pts.filter((l) => l.streamedCycles > l.cycles).map((l) => ({ x: l.intensity, y: l.macs / l.streamedCycles, engine: l.engine, name: l.name, op: l.op }));
  return {
    $schema: SCHEMA,
    title: {
      text: `${r.network}: roofline on the ${r.lanes}x${r.lanes} accelerator, memory ceiling at ${bw} B/cycle`,
      // The AXI build's points are its compute cycles (the cycle model); its stalls are measured in co-simulation, not here.
      subtitle: `filled: attained ${r.traffic.axi ? 'by this AXI build\'s compute (the cycle model; stalls waiting for memory are measured by cosim, not drawn)' : 'in the on-chip build (weights resident)'}; hollow: projected if the layer streamed its traffic (memory-bound layers only)`,
      anchor: 'start', fontSize: 11, subtitleFontSize: 9,
    },
    width: 520,
    height: 320,
    layer: [
      { data: { values: ceilings }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: X, y: Y, color: { field: 'engine', type: 'nominal', scale: ENGINE_COLOR, title: 'engine' }, detail: { field: 'engine' } } },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 40, opacity: 0.85 },
        encoding: { x: X, y: Y, color: { field: 'engine', type: 'nominal', scale: ENGINE_COLOR }, tooltip: [{ field: 'name' }, { field: 'op' }, { field: 'x', format: '.3~g', title: 'MACs/byte' }, { field: 'y', format: '.3~g', title: 'MACs/cycle' }, { field: 'utilization', format: '.1%' }] },
      },
      {
        data: { values: streamed },
        mark: { type: 'point', filled: false, size: 60 },
        encoding: { x: X, y: Y, color: { field: 'engine', type: 'nominal', scale: ENGINE_COLOR }, tooltip: [{ field: 'name' }, { field: 'op' }, { field: 'y', format: '.3~g', title: 'MACs/cycle if streamed' }] },
      },
      { data: { values: streamed }, mark: { type: 'text', align: 'left', dx: 6, dy: 8, fontSize: 9 }, encoding: { x: X, y: Y, text: { field: 'name' } } },
    ],
    config: { font: 'sans-serif' },
  } as TopLevelSpec;
}
