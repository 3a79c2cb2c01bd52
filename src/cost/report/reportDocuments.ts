/**
 * The report in each output format. Pure functions of their inputs (no
 * clock, no environment), so the same inputs give byte-identical output.
 */
import type { NetworkTally } from '../tally.ts';
import type { PaperAnalysis } from '../paperAnalysis.ts';
import { type Table, textTable, htmlTable, escapeHtml } from './textTable.ts';
import { recipeSummaryTable, layerTable, opTable, paperTable, ablationTable } from './reportTables.ts';
import { layerStackSpec, paperStackSpec, paretoPoints, paretoSpec, type ParetoPoint } from './charts.ts';
import { renderSvg } from './renderSvg.ts';
import type { AccuracyPoint } from './accuracy.ts';

export const ENERGY_MODEL = 'Horowitz ISSCC 2014, 45 nm (affine width scaling through the published points)';

function modelTables(model: string, tallies: readonly NetworkTally[], withLayers: boolean): Table[] {
  const tables: Table[] = [recipeSummaryTable(model, tallies)];
  for (const t of tallies) {
    tables.push(opTable(t));
    if (withLayers) tables.push(layerTable(t));
  }
  return tables;
}

function header(model: string, costTable: string): string {
  return `${model}: ACE, ACEv2 (cost table ${costTable}) and energy (${ENERGY_MODEL})`;
}

export function modelReportText(model: string, costTable: string, tallies: readonly NetworkTally[], withLayers: boolean): string {
  const body = modelTables(model, tallies, withLayers).map((t) => `## ${t.title}\n\n${textTable(t)}`);
  return `# ${header(model, costTable)}\n\n${body.join('\n\n')}\n`;
}

export function modelReportJson(model: string, costTable: string, tallies: readonly NetworkTally[]): string {
  const doc = {
    format: 'pikehdl-cost-report',
    version: 1,
    model,
    costTable,
    energyModel: ENERGY_MODEL,
    recipes: tallies,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export async function modelReportSvg(model: string, tallies: readonly NetworkTally[]): Promise<string> {
  return renderSvg(layerStackSpec(model, tallies));
}

const STYLE = `body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-bottom:2em;font-size:13px}
th,td{border:1px solid #ccc;padding:2px 6px}th{background:#f4f4f4}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:0 0 2em 0}p.note{max-width:60em}`;

function page(title: string, parts: readonly string[]): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${parts.join('\n')}
</body>
</html>
`;
}

async function paretoSection(points: readonly ParetoPoint[]): Promise<string[]> {
  if (points.length === 0) return ['<p class="note">No accuracy is known for these models and recipes, so there is no accuracy-vs-ACEv2 plot (pass <code>--accuracy &lt;file&gt;</code>).</p>'];
  const sources = points.map((p) => `<li>${escapeHtml(`${p.network} ${p.recipe}: ${p.top1}% (${p.source})`)}</li>`).join('\n');
  return [`<figure>${await renderSvg(paretoSpec(points))}</figure>`, `<p class="note">Accuracy sources:</p>\n<ul>\n${sources}\n</ul>`];
}

export async function modelReportHtml(
  model: string,
  costTable: string,
  tallies: readonly NetworkTally[],
  accuracy: readonly AccuracyPoint[],
): Promise<string> {
  const parts = [`<figure>${await modelReportSvg(model, tallies)}</figure>`];
  parts.push(...(await paretoSection(paretoPoints(tallies, accuracy))));
  parts.push(...modelTables(model, tallies, true).map(htmlTable));
  return page(header(model, costTable), parts);
}

export function paperReportText(a: PaperAnalysis): string {
  return `${[paperTable(a), ablationTable(a)].map((t) => `## ${t.title}\n\n${textTable(t)}`).join('\n\n')}\n`;
}

export function paperReportJson(a: PaperAnalysis): string {
  const doc = {
    format: 'pikehdl-paper-analysis',
    version: 1,
    costTable: a.costTable,
    energyModel: ENERGY_MODEL,
    rows: a.rows.map((r) => ({
      network: r.network,
      macs: r.macs,
      conventionalElementwiseShare: r.conventionalElementwiseShare,
      pikelpnElementwiseShare: r.pikelpnElementwiseShare,
      acev2Ratio: r.acev2Ratio,
      pjRatio: r.pjRatio,
      ablationRatios: r.ablationRatios,
      totals: Object.fromEntries(Object.entries(r.tallies).map(([k, t]) => [k, { ace: t.ace, acev2: t.acev2, pj: t.pj, byCategory: t.byCategory }])),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export async function paperReportSvg(a: PaperAnalysis): Promise<string> {
  return renderSvg(paperStackSpec(a));
}

export async function paperReportHtml(a: PaperAnalysis, accuracy: readonly AccuracyPoint[]): Promise<string> {
  const tallies = a.rows.flatMap((r) => Object.values(r.tallies));
  const parts = [`<figure>${await paperReportSvg(a)}</figure>`, ...(await paretoSection(paretoPoints(tallies, accuracy))), htmlTable(paperTable(a)), htmlTable(ablationTable(a))];
  return page(`The PikeLPN analysis: ACEv2 of conventional 4-bit vs PikeLPN (cost table ${a.costTable})`, parts);
}
