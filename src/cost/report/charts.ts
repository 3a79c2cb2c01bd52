/**
 * Vega-Lite specifications of the report's charts, built from tallies as
 * plain data (no rendering here; renderSvg.ts does that).
 */
import type { TopLevelSpec } from 'vega-lite';
import { CATEGORIES, CATEGORY_LABELS } from '../categories.ts';
import type { NetworkTally } from '../tally.ts';
import type { PaperAnalysis } from '../paperAnalysis.ts';
import type { AccuracyPoint } from './accuracy.ts';
import { si } from './numberFormat.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const categoryDomain = CATEGORIES.map((c) => CATEGORY_LABELS[c]);
// Colour-blind-safe (Okabe-Ito), one fixed colour per category in every chart.
const categoryRange = ['#0072B2', '#E69F00', '#D55E00', '#009E73', '#CC79A7', '#56B4E9'];
const categoryColor = {
  field: 'category',
  type: 'nominal' as const,
  title: 'category',
  scale: { domain: categoryDomain, range: categoryRange },
  sort: categoryDomain,
  legend: { labelLimit: 400 },
};

/** Stacked bars: ACEv2 of every layer split by category, one row per recipe
 *  (each row its own y scale: float32 is ~50x the integer recipes). */
export function layerStackSpec(model: string, tallies: readonly NetworkTally[]): TopLevelSpec {
  const values = tallies.flatMap((t) =>
    t.layers.flatMap((l) =>
      CATEGORIES.filter((c) => l.byCategory[c].acev2 > 0).map((c) => ({
        recipe: `${t.recipe} (total ${si(t.acev2)})`,
        layer: l.name,
        category: CATEGORY_LABELS[c],
        order: CATEGORIES.indexOf(c),
        acev2: l.byCategory[c].acev2,
      })),
    ),
  );
  return {
    $schema: SCHEMA,
    title: { text: `${model}: ACEv2 per layer by category`, anchor: 'start' },
    data: { values },
    facet: { row: { field: 'recipe', type: 'nominal', title: null, sort: tallies.map((t) => `${t.recipe} (total ${si(t.acev2)})`) } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: { step: 18 },
      height: 160,
      mark: 'bar',
      encoding: {
        x: { field: 'layer', type: 'nominal', sort: tallies[0]?.layers.map((l) => l.name) ?? [], title: 'layer', axis: { labelAngle: -60 } },
        y: { field: 'acev2', type: 'quantitative', aggregate: 'sum', title: 'ACEv2', axis: { format: '.2s' } },
        color: categoryColor,
        order: { field: 'order', type: 'quantitative' },
        tooltip: [{ field: 'layer' }, { field: 'category' }, { field: 'acev2', format: ',' }],
      },
    },
    config: { font: 'sans-serif' },
  } as TopLevelSpec;
}

/** The paper's picture: conventional4 next to pikelpn for every network,
 *  each bar split by category, as a share of that network's conventional4
 *  ACEv2 so that networks of any size share one axis. */
export function paperStackSpec(a: PaperAnalysis): TopLevelSpec {
  const values = a.rows.flatMap((r) =>
    (['conventional4', 'pikelpn'] as const).flatMap((recipe) =>
      CATEGORIES.map((c) => ({
        network: r.network,
        recipe,
        category: CATEGORY_LABELS[c],
        order: CATEGORIES.indexOf(c),
        share: r.tallies[recipe].byCategory[c].acev2 / r.tallies.conventional4.acev2,
      })),
    ),
  );
  return {
    $schema: SCHEMA,
    title: { text: 'ACEv2 by category, relative to each network\'s conventional 4-bit model', anchor: 'start' },
    data: { values },
    facet: { column: { field: 'network', type: 'nominal', title: null, sort: a.rows.map((r) => r.network), header: { labelAngle: -30, labelAlign: 'right' } } },
    spec: {
      width: { step: 26 },
      height: 220,
      mark: 'bar',
      encoding: {
        x: { field: 'recipe', type: 'nominal', title: null, sort: ['conventional4', 'pikelpn'], axis: { labelAngle: -60 } },
        y: { field: 'share', type: 'quantitative', aggregate: 'sum', title: 'ACEv2 / conventional4 ACEv2', axis: { format: '.0%' } },
        color: categoryColor,
        order: { field: 'order', type: 'quantitative' },
      },
    },
    config: { font: 'sans-serif' },
  } as TopLevelSpec;
}

export interface ParetoPoint {
  readonly network: string;
  readonly recipe: string;
  readonly acev2: number;
  readonly top1: number;
  readonly source: string;
}

/** Points not dominated by another (lower or equal ACEv2 and higher or equal accuracy, one strictly). */
export function paretoFront(points: readonly ParetoPoint[]): ParetoPoint[] {
  const sorted = [...points].sort((p, q) => p.acev2 - q.acev2 || q.top1 - p.top1);
  const front: ParetoPoint[] = [];
  for (const p of sorted) if (front.length === 0 || p.top1 > front[front.length - 1]!.top1) front.push(p);
  return front;
}

export function paretoPoints(tallies: readonly NetworkTally[], accuracy: readonly AccuracyPoint[]): ParetoPoint[] {
  const out: ParetoPoint[] = [];
  for (const t of tallies) {
    const a = accuracy.find((p) => p.network === t.network && p.recipe === t.recipe);
    if (a) out.push({ network: t.network, recipe: t.recipe, acev2: t.acev2, top1: a.top1, source: a.source });
  }
  return out;
}

/** Accuracy against ACEv2 (log scale), with the Pareto front drawn. */
export function paretoSpec(points: readonly ParetoPoint[]): TopLevelSpec {
  const front = paretoFront(points).map((p) => ({ ...p }));
  return {
    $schema: SCHEMA,
    title: { text: 'Top-1 accuracy vs ACEv2 (line: Pareto front)', anchor: 'start' },
    width: 420,
    height: 260,
    layer: [
      {
        data: { values: front },
        mark: { type: 'line', color: '#999999', strokeDash: [4, 3] },
        encoding: {
          x: { field: 'acev2', type: 'quantitative', scale: { type: 'log' } },
          y: { field: 'top1', type: 'quantitative' },
        },
      },
      {
        data: { values: points.map((p) => ({ ...p, label: `${p.network} ${p.recipe}` })) },
        layer: [
          {
            mark: { type: 'point', filled: true, size: 70 },
            encoding: {
              x: { field: 'acev2', type: 'quantitative', scale: { type: 'log' }, title: 'ACEv2', axis: { format: '.1s' } },
              y: { field: 'top1', type: 'quantitative', scale: { zero: false }, title: 'top-1 accuracy (%)' },
              color: { field: 'recipe', type: 'nominal', scale: { domain: ['float32', 'conventional4', 'pikelpn', 'tflite8'], range: ['#444444', '#D55E00', '#0072B2', '#009E73'] } },
              tooltip: [{ field: 'label' }, { field: 'top1' }, { field: 'acev2', format: ',' }, { field: 'source' }],
            },
          },
          {
            mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10 },
            encoding: {
              x: { field: 'acev2', type: 'quantitative', scale: { type: 'log' } },
              y: { field: 'top1', type: 'quantitative' },
              text: { field: 'label' },
            },
          },
        ],
      },
    ],
    config: { font: 'sans-serif' },
  } as TopLevelSpec;
}
