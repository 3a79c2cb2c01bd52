/**
 * `pikehdl report`: ACE, ACEv2 and energy of a network under recipes, as a
 * terminal table, JSON, SVG (stacked bars per layer) or HTML (charts and
 * tables); `--paper` runs the paper analysis over the built-in networks.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { CliError } from '../cliError.ts';
import { runAccelReport } from './reportAccel.ts';
import { out } from '../io.ts';
import { escapeControls } from '../terminalText.ts';
import { readTextFile, parseFloatNetwork, checkJsonDepth, ModelError, type FloatNetwork } from '../../model/index.ts';
import { checkOutputFile, sameFile, writeOutputFile } from '../../output/index.ts';
import { RECIPES, RECIPE_NAMES, isRecipeName, type Recipe } from '../../quant/index.ts';
import { BUILTIN_NETWORK_NAMES, builtinNetwork, isBuiltinNetworkName } from '../../networks/index.ts';
import {
  DEFAULT_COST_TABLE,
  CostTableError,
  parseCostTableText,
  costTableToJson,
  tallyNetwork,
  paperAnalysis,
  type CostTable,
} from '../../cost/index.ts';
import { PUBLISHED_ACCURACY, parseAccuracyText, AccuracyFileError, type AccuracyPoint } from '../../cost/report/accuracy.ts';
import {
  modelReportText,
  modelReportJson,
  modelReportSvg,
  modelReportHtml,
  paperReportText,
  paperReportJson,
  paperReportSvg,
  paperReportHtml,
} from '../../cost/report/reportDocuments.ts';

const FORMATS = ['table', 'json', 'svg', 'html'] as const;
type Format = (typeof FORMATS)[number];
const DEFAULT_RECIPES = 'float32,conventional4,pikelpn';

interface ReportOptions {
  model?: string;
  recipe: string;
  costTable?: string;
  format: string;
  out?: string;
  accuracy?: string;
  paper?: boolean;
  layers: boolean;
  dumpCostTable?: boolean;
  accel?: boolean;
  set?: string[];
  clockMhz?: string;
  bandwidth?: string;
  force?: boolean;
}

/** Rethrow user-input errors from lower layers as CliError (one line, exit 2). */
function userErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ModelError || e instanceof CostTableError || e instanceof AccuracyFileError) throw new CliError(`report: ${e.message}`);
    throw e;
  }
}

function parseRecipes(list: string): Recipe[] {
  const names = list === 'all' ? [...RECIPE_NAMES] : list.split(',').map((s) => s.trim());
  return names.map((n) => {
    if (!isRecipeName(n)) throw new CliError(`report: --recipe "${n}" is unknown: choose from ${RECIPE_NAMES.join(', ')} (comma-separated) or all`);
    return RECIPES[n];
  });
}

function loadModel(spec: string): FloatNetwork {
  if (isBuiltinNetworkName(spec)) return builtinNetwork(spec);
  if (!existsSync(spec)) {
    throw new CliError(`report: --model "${spec}" is neither a file nor a built-in network: built-ins are ${BUILTIN_NETWORK_NAMES.join(', ')}`);
  }
  const net = userErrors(() => parseFloatNetwork(readTextFile(spec), spec));
  // The name is the user's text: control characters (ESC, bidi marks) are shown
  // escaped, in the terminal and in SVG/HTML (XML 1.0 forbids most of them).
  return { ...net, name: escapeControls(net.name) };
}

/** A JSON file's text, refused first if too large or too deeply nested (src/cost parses it recursively). */
function jsonText(path: string): string {
  const text = readTextFile(path);
  checkJsonDepth(text, path);
  return text;
}

function loadCostTable(path: string | undefined): CostTable {
  if (path === undefined) return DEFAULT_COST_TABLE;
  const t = userErrors(() => parseCostTableText(jsonText(path), path));
  return { ...t, name: escapeControls(t.name) };
}

function loadAccuracy(path: string | undefined): AccuracyPoint[] {
  const user = (path === undefined ? [] : userErrors(() => parseAccuracyText(jsonText(path), path))).map((p) => ({
    ...p,
    network: escapeControls(p.network),
    recipe: escapeControls(p.recipe),
    source: escapeControls(p.source),
  }));
  // A user's point for the same (network, recipe) takes precedence.
  return [...user, ...PUBLISHED_ACCURACY.filter((p) => !user.some((u) => u.network === p.network && u.recipe === p.recipe))];
}

function emit(text: string, file: string | undefined): void {
  if (file === undefined) out(text);
  else writeOutputFile(file, text);
}

export async function runReport(o: ReportOptions): Promise<string> {
  if (!(FORMATS as readonly string[]).includes(o.format)) {
    throw new CliError(`report: --format "${o.format}" is unknown: choose one of ${FORMATS.join(', ')}`);
  }
  const format = o.format as Format;
  const table = loadCostTable(o.costTable);
  if (o.dumpCostTable) return `${JSON.stringify(costTableToJson(table), null, 2)}\n`;
  const accuracy = loadAccuracy(o.accuracy);
  if (o.paper) {
    if (o.model !== undefined) throw new CliError('report: --paper and --model exclude each other: --paper reports every built-in network');
    const a = paperAnalysis(table);
    switch (format) {
      case 'table':
        return paperReportText(a);
      case 'json':
        return paperReportJson(a);
      case 'svg':
        return paperReportSvg(a);
      case 'html':
        return paperReportHtml(a, accuracy);
    }
  }
  if (o.model === undefined) throw new CliError('report: --model is required (a network file or a built-in name), or use --paper');
  const net = loadModel(o.model);
  const recipes = parseRecipes(o.recipe);
  const tallies = userErrors(() => recipes.map((r) => tallyNetwork(net, r, table)));
  switch (format) {
    case 'table':
      return modelReportText(net.name, table.name, tallies, o.layers);
    case 'json':
      return modelReportJson(net.name, table.name, tallies);
    case 'svg':
      return modelReportSvg(net.name, tallies);
    case 'html':
      return modelReportHtml(net.name, table.name, tallies, accuracy);
  }
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(`ACE, ACEv2 and energy of a network under quantization recipes (see docs/acev2.md). Built-in networks: ${BUILTIN_NETWORK_NAMES.join(', ')}`)
    .option('--model <file|name>', 'a network file (pikehdl-float-network JSON) or a built-in network name')
    .option('--recipe <names>', `comma-separated recipes, or all (${RECIPE_NAMES.join(', ')})`, DEFAULT_RECIPES)
    .option('--cost-table <file>', 'a cost table (pikehdl-cost-table JSON) instead of the default ACEv2 table')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'table')
    .option('--out <file>', 'write to this file (atomically) instead of stdout')
    .option('--accuracy <file>', 'known accuracies (pikehdl-accuracy JSON) for the accuracy-vs-ACEv2 plot')
    .option('--paper', "the paper's analysis: every built-in network under float32, conventional4 and pikelpn")
    .option('--no-layers', 'table format: leave out the per-layer tables')
    .option('--dump-cost-table', 'print the cost table in use (the default, or --cost-table) as JSON and exit')
    .option('--accel', 'the accelerator performance report of --model (comma-separated built-ins or integer network files) into the folder --out: JSON, Markdown and a roofline SVG per network (docs/performance.md)')
    .option('--set <key=value>', 'with --accel: an accelerator configuration field (lanes=16); repeatable', (v: string, acc: string[]) => [...acc, v], [])
    .option('--clock-mhz <f>', 'with --accel: the clock for inferences per second (default 200)')
    .option('--bandwidth <bytes>', 'with --accel: external memory bytes per cycle for the roofline (default 16)')
    .option('--force', 'with --accel: replace an output folder pikehdl did not write')
    .action(async (o: ReportOptions) => {
      if (o.accel) {
        if (o.model === undefined || o.out === undefined) throw new CliError('report --accel needs --model NAME[,NAME...] and --out DIR');
        const files = await runAccelReport({ model: o.model, set: o.set ?? [], out: o.out, ...(o.clockMhz !== undefined ? { clockMhz: o.clockMhz } : {}), ...(o.bandwidth !== undefined ? { bandwidth: o.bandwidth } : {}), ...(o.force ? { force: true } : {}) }, (l) => process.stderr.write(`${l}\n`));
        out(`report --accel: wrote ${files.join(', ')} into ${o.out}\n`);
        return;
      }
      // Refuse an output path we may not write before any work; never overwrite an input.
      if (o.out !== undefined) {
        checkOutputFile(o.out);
        for (const [opt, file] of [['--model', o.model], ['--cost-table', o.costTable], ['--accuracy', o.accuracy]] as const) {
          if (file !== undefined && sameFile(file, o.out)) throw new CliError(`report: --out ${o.out} is the ${opt} file: refusing to overwrite an input; choose another output path`);
        }
      }
      emit(await runReport(o), o.out);
    });
}
