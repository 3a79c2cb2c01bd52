/**
 * Scores and tables of a mutation run. The score counts killed and
 * killed-by-timeout mutants over all mutants run minus the proven-equivalent
 * ones; a survivor that is only equivalent up to a bound still counts against
 * the score (it is reported with its bound).
 */
import { MUTATION_OPERATORS } from '../../hdl-gen/mutate/index.ts';
import type { MutantResult, UnitMutationResult } from './mutateUnit.ts';

export interface Tally {
  run: number;
  killed: number;
  timeout: number;
  survived: number;
  equivalent: number;
  /** (killed + timeout) / (run - equivalent), in percent; 100 when nothing non-equivalent ran. */
  score: number;
}

export function tally(ms: readonly MutantResult[]): Tally {
  const count = (o: MutantResult['outcome']): number => ms.filter((m) => m.outcome === o).length;
  const t = { run: ms.length, killed: count('killed'), timeout: count('timeout'), survived: count('survived'), equivalent: count('equivalent') };
  const denom = t.run - t.equivalent;
  return { ...t, score: denom === 0 ? 100 : (100 * (t.killed + t.timeout)) / denom };
}

export interface MutationSummary {
  readonly units: readonly ({ unit: string; sites: number; buildMs: number; runMs: number } & Tally)[];
  readonly operators: readonly ({ operator: string } & Tally)[];
  readonly total: Tally;
}

export function summarize(results: readonly UnitMutationResult[]): MutationSummary {
  const all = results.flatMap((r) => r.mutants);
  return {
    units: results.map((r) => ({ unit: r.unit, sites: r.sites, buildMs: r.buildMs, runMs: r.runMs, ...tally(r.mutants) })),
    operators: MUTATION_OPERATORS.map((op) => ({ operator: op, ...tally(all.filter((m) => m.operator === op)) })).filter((o) => o.run > 0),
    total: tally(all),
  };
}

const pct = (x: number): string => `${x.toFixed(1)}%`;

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const COLUMNS = ['run', 'killed', 'timeout', 'survived', 'equivalent', 'score'] as const;
const cells = (t: Tally): string[] => [String(t.run), String(t.killed), String(t.timeout), String(t.survived), String(t.equivalent), pct(t.score)];

/** The text report: per unit, per operator, then every survivor with its replay command. */
export function mutationTable(results: readonly UnitMutationResult[], replay: (unit: string, id: number) => string): string {
  const s = summarize(results);
  const out: string[] = [];
  out.push('mutation score by unit (score = (killed + timeout) / (run - proven equivalent))', '');
  out.push(...table(['unit', 'sites', ...COLUMNS], [...s.units.map((u) => [u.unit, String(u.sites), ...cells(u)]), ['total', String(s.units.reduce((a, u) => a + u.sites, 0)), ...cells(s.total)]]));
  out.push('', 'by operator', '');
  out.push(...table(['operator', ...COLUMNS], s.operators.map((o) => [o.operator, ...cells(o)])));
  const rest = results.flatMap((r) => r.mutants.filter((m) => m.outcome === 'survived' || m.outcome === 'equivalent').map((m) => ({ unit: r.unit, m })));
  out.push('', rest.length === 0 ? 'no survivors' : 'survivors');
  for (const { unit, m } of rest) {
    out.push(`  ${unit} #${m.id} [${m.operator}] ${m.outcome === 'equivalent' ? 'EQUIVALENT' : 'SURVIVED'}: ${m.description}`);
    if (m.by !== '') out.push(`    ${m.by}`);
    out.push(`    replay: ${replay(unit, m.id)}`);
  }
  return `${out.join('\n')}\n`;
}
