/**
 * Vega-Lite spec of the family's Pareto plot: accuracy against ACEv2 (log),
 * one point per (width, recipe) at the mean over seeds with a ±1 standard
 * deviation bar, every seed as a small hollow point, and the Pareto front of
 * the means. Rendered by src/cost/report/renderSvg.ts.
 */
import type { TopLevelSpec } from 'vega-lite';
import { paretoFront } from '../cost/report/charts.ts';
import type { FamilyRecord, Row } from './familyRecords.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const RECIPE_COLOR = { domain: ['float32', 'tflite8', 'conventional4', 'pikelpn'], range: ['#444444', '#009E73', '#D55E00', '#0072B2'] };
const X = { field: 'acev2', type: 'quantitative', scale: { type: 'log' }, title: 'ACEv2 per inference', axis: { format: '.1s' } } as const;
const Y = { field: 'top1', type: 'quantitative', scale: { zero: false }, title: 'held-out top-1 accuracy (%)' } as const;

export function familyParetoSpec(rows: readonly Row[], records: readonly FamilyRecord[]): TopLevelSpec {
  const main = rows.filter((r) => r.label === r.recipe);
  const means = main.map((r) => ({
    label: `${r.width}x ${r.recipe}`,
    width: `${r.width}x`,
    recipe: r.recipe,
    acev2: r.acev2,
    top1: r.accuracy.mean,
    lo: r.accuracy.mean - (r.accuracy.std ?? 0),
    hi: r.accuracy.mean + (r.accuracy.std ?? 0),
    seeds: r.accuracy.n,
  }));
  const front = paretoFront(means.map((m) => ({ network: m.width, recipe: m.recipe, acev2: m.acev2, top1: m.top1, source: '' })));
  const seedPoints = records.flatMap((rec) =>
    rec.results.filter((x) => x.label === x.recipe).map((x) => ({ recipe: x.recipe, width: `${rec.width}x`, seed: rec.seed, acev2: x.acev2, top1: x.accuracy })),
  );
  return {
    $schema: SCHEMA,
    title: { text: 'Held-out accuracy vs ACEv2: mean over seeds ± 1 std (hollow: single seeds; dashed: Pareto front of the means)', anchor: 'start', fontSize: 11 },
    width: 520,
    height: 320,
    layer: [
      { data: { values: front }, mark: { type: 'line', color: '#999999', strokeDash: [4, 3] }, encoding: { x: X, y: Y } },
      { data: { values: seedPoints }, mark: { type: 'point', filled: false, size: 25, opacity: 0.6 }, encoding: { x: X, y: Y, color: { field: 'recipe', type: 'nominal', scale: RECIPE_COLOR } } },
      {
        data: { values: means },
        layer: [
          { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x: X, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: { field: 'recipe', type: 'nominal', scale: RECIPE_COLOR } } },
          {
            mark: { type: 'point', filled: true, size: 80 },
            encoding: {
              x: X, y: Y,
              color: { field: 'recipe', type: 'nominal', scale: RECIPE_COLOR, title: 'recipe' },
              shape: { field: 'width', type: 'nominal', title: 'width' },
              tooltip: [{ field: 'label' }, { field: 'top1', format: '.2f' }, { field: 'seeds' }, { field: 'acev2', format: ',' }],
            },
          },
          { mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 9 }, encoding: { x: X, y: Y, text: { field: 'label' } } },
        ],
      },
    ],
    config: { font: 'sans-serif' },
  } as TopLevelSpec;
}
