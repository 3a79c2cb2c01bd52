import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { RECIPES } from '../../src/quant/index.ts';
import { builtinNetwork } from '../../src/networks/index.ts';
import { tallyNetwork } from '../../src/cost/analyticTally.ts';
import { textTable } from '../../src/cost/report/textTable.ts';
import { paretoFront, type ParetoPoint } from '../../src/cost/report/charts.ts';
import { parseAccuracyText } from '../../src/cost/report/accuracy.ts';
import { modelReportJson, modelReportSvg, modelReportHtml } from '../../src/cost/report/reportDocuments.ts';
import { runReport } from '../../src/cli/commands/report.ts';
import { CliError } from '../../src/cli/cliError.ts';

const tallies = [tallyNetwork(builtinNetwork('mnist_tiny'), RECIPES.conventional4), tallyNetwork(builtinNetwork('mnist_tiny'), RECIPES.pikelpn)];
const options = (o: Record<string, unknown>) => ({ recipe: 'float32,conventional4,pikelpn', format: 'table', layers: true, ...o });

describe('report pieces', () => {
  it('text tables are aligned Markdown pipe tables', () => {
    const t = textTable({ title: 't', columns: [{ header: 'a' }, { header: 'n', align: 'right' }], rows: [['x', '1'], ['long', '123']] });
    expect(t).toBe(['| a    |   n |', '|:-----|----:|', '| x    |   1 |', '| long | 123 |'].join('\n'));
  });

  it('the Pareto front keeps points no other point beats on both axes', () => {
    const p = (name: string, acev2: number, top1: number): ParetoPoint => ({ network: name, recipe: 'r', acev2, top1, source: 's' });
    const front = paretoFront([p('a', 10, 60), p('b', 20, 59), p('c', 30, 70), p('d', 5, 50), p('e', 30, 65)]);
    expect(front.map((x) => x.network)).toEqual(['d', 'a', 'c']);
  });

  it('accuracy files are validated, naming field and value', () => {
    expect(parseAccuracyText('{"format":"pikehdl-accuracy","version":1,"points":[{"network":"n","recipe":"pikelpn","top1":95.3,"source":"run 1"}]}')).toHaveLength(1);
    expect(() => parseAccuracyText('{"format":"pikehdl-accuracy","version":1,"points":[{"network":"n","recipe":"r","top1":953,"source":"s"}]}', 'acc.json')).toThrow(
      'acc.json: points[0].top1: 953 is invalid: top-1 accuracy is a percentage from 0 to 100',
    );
    expect(() => parseAccuracyText('{"format":"pikehdl-accuracy","version":1,"points":[{"network":"n","recipe":"r","top1":1,"source":"s","x":1}]}', 'acc.json')).toThrow(
      'acc.json: points[0]: unknown field "x": the fields allowed here are network, recipe, top1, source',
    );
  });

  it('JSON carries the tallies exactly and is deterministic', () => {
    const text = modelReportJson('mnist_tiny', 'acev2-default', tallies);
    expect(modelReportJson('mnist_tiny', 'acev2-default', tallies)).toBe(text);
    const doc = JSON.parse(text) as { format: string; recipes: { recipe: string; acev2: number; layers: { acev2: number }[] }[] };
    expect(doc.format).toBe('pikehdl-cost-report');
    expect(doc.recipes.map((r) => r.recipe)).toEqual(['conventional4', 'pikelpn']);
    expect(doc.recipes[1]!.acev2).toBe(tallies[1]!.acev2);
    expect(doc.recipes[1]!.layers.reduce((s, l) => s + l.acev2, 0)).toBe(tallies[1]!.acev2);
  });

  it('SVG is rendered by Vega, names every layer and category, and is deterministic', async () => {
    const svg = await modelReportSvg('mnist_tiny', tallies);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const name of ['stem', 'b3_pw', 'fc', 'quantization scaling', 'batch norm / QuantNorm']) expect(svg).toContain(name);
    expect(await modelReportSvg('mnist_tiny', tallies)).toBe(svg);
  });

  it('HTML embeds the chart and tables; the Pareto plot appears only with known accuracy', async () => {
    const none = await modelReportHtml('mnist_tiny', 'acev2-default', tallies, []);
    expect(none).toContain('<svg');
    expect(none).toContain('<table>');
    expect(none).toContain('No accuracy is known');
    const known = await modelReportHtml('mnist_tiny', 'acev2-default', tallies, [
      { network: 'mnist_tiny', recipe: 'pikelpn', top1: 95.3, source: 'a <test> run' },
    ]);
    expect(known).toContain('Pareto front');
    expect(known).toContain('a &lt;test&gt; run'); // escaped
    expect(known.match(/<svg/g)).toHaveLength(2);
  });
});

describe('pikehdl report', () => {
  const refuses = async (o: Record<string, unknown>): Promise<string> => {
    try {
      await runReport(options(o));
    } catch (e) {
      expect(e).toBeInstanceOf(CliError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('prints a table for a built-in network under the default recipes', async () => {
    const text = await runReport(options({ model: 'mnist_tiny' }));
    expect(text).toContain('| float32 ');
    expect(text).toContain('| conventional4 ');
    expect(text).toContain('| pikelpn ');
    expect(text).toContain('pikelpn: per layer');
  });

  it('reads a network file and a user cost table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikehdl-report-'));
    try {
      writeFileSync(join(dir, 'net.json'), JSON.stringify(builtinNetwork('mnist_tiny')));
      const table = JSON.parse(await runReport(options({ dumpCostTable: true }))) as { name: string; rules: Record<string, unknown> };
      table.name = 'float-cheap';
      table.rules.floatMul = { fp16: 1, bf16: 1, fp32: 1 };
      writeFileSync(join(dir, 'table.json'), JSON.stringify(table));
      const json = JSON.parse(await runReport(options({ model: join(dir, 'net.json'), costTable: join(dir, 'table.json'), format: 'json', recipe: 'conventional4' }))) as {
        costTable: string;
        recipes: { acev2: number }[];
      };
      expect(json.costTable).toBe('float-cheap');
      expect(json.recipes[0]!.acev2).toBeLessThan(tallies[0]!.acev2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad input with one clear line', async () => {
    expect(await refuses({ model: 'mnist_tiny', format: 'pdf' })).toBe('report: --format "pdf" is unknown: choose one of table, json, svg, html');
    expect(await refuses({ model: 'mnist_tiny', recipe: 'pikelpn,int3' })).toMatch(/^report: --recipe "int3" is unknown: choose from float32, conventional4, pikelpn, tflite8/);
    expect(await refuses({})).toBe('report: --model is required (a network file or a built-in name), or use --paper');
    expect(await refuses({ model: 'no_such_net' })).toMatch(/^report: --model "no_such_net" is neither a file nor a built-in network/);
    expect(await refuses({ paper: true, model: 'mnist_tiny' })).toMatch(/exclude each other/);
    const dir = mkdtempSync(join(tmpdir(), 'pikehdl-report-'));
    try {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ format: 'pikehdl-cost-table', version: 1, name: 'x', rules: { fooMul: {} } }));
      expect(await refuses({ model: 'mnist_tiny', costTable: join(dir, 'bad.json') })).toMatch(/bad\.json: rules: unknown field "fooMul"/);
      writeFileSync(join(dir, 'net.json'), JSON.stringify({ ...builtinNetwork('mnist_tiny'), layers: [] }));
      expect(await refuses({ model: join(dir, 'net.json') })).toMatch(/net\.json: layers: a network needs at least one layer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the command writes --out atomically and exits 2 with one line on a user error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikehdl-report-'));
    try {
      const out = join(dir, 'r.json');
      const ok = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'report', '--model', 'mnist_tiny', '--format', 'json', '--out', out], { encoding: 'utf8' });
      expect(ok.status).toBe(0);
      expect(JSON.parse(readFileSync(out, 'utf8')).model).toBe('mnist_tiny');
      expect(readdirSync(dir)).toEqual(['r.json']); // no temporary file left behind
      const bad = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'report', '--model', 'mnist_tiny', '--recipe', 'nope'], { encoding: 'utf8' });
      expect(bad.status).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
