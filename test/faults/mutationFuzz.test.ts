// Structure-aware mutation of every input format, run in-process through the
// CLI (runCli): float networks (quantize, report), integer networks and
// inputs (run), calibration inputs (quantize), unit configurations (gen), cost tables and accuracy files
// (report). Every case must end in exit 0 with valid output, or exit 2 with
// one line naming the file: never exit 1, never exit 3 (an internal error),
// never a stack trace. Default: a few dozen files per format (seeded,
// PIKEHDL_SEED changes it); PIKEHDL_FUZZ=long: 10,000 per format
// (PIKEHDL_FUZZ_RUNS overrides; measured in docs/limits.md).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY } from '../../hdl-gen/generators/index.ts';
import { parseIntNetwork } from '../../src/model/index.ts';
import { cli, contractBreach, type CliResult } from './cliHarness.ts';
import { mutate, mutationArb } from './mutate.ts';

const LONG = process.env.PIKEHDL_FUZZ === 'long';
const RUNS = Number(process.env.PIKEHDL_FUZZ_RUNS ?? (LONG ? 10_000 : 40));
const SEED = Number(process.env.PIKEHDL_SEED ?? 8080);
const root = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fixture = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const readJson = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));

const tinyFloat = fixture('../fixtures/models/tiny-separable.float.json');
const tinyInput = fixture('../fixtures/models/tiny-input.json');
const intNets: Record<string, string> = {};

beforeAll(async () => {
  for (const recipe of ['pikelpn', 'tflite8', 'conventional4']) {
    const out = path.join(root, `base.${recipe}.int.json`);
    const r = await cli('quantize', '--in', tinyFloat, '--out', out, '--recipe', recipe);
    if (r.code !== 0) throw new Error(r.stderr);
    intNets[recipe] = out;
  }
});

interface Format {
  readonly name: string;
  /** The documents mutations start from. */
  base(): unknown[];
  /** Runs the command on the mutated file; `pick` chooses among variants. */
  run(file: string, pick: number, caseDir: string): Promise<CliResult>;
  /** Checks an exit-0 result's output. */
  valid(r: CliResult, caseDir: string): void;
}

const RECIPES = ['pikelpn', 'tflite8', 'conventional4'] as const;

const FORMATS: readonly Format[] = [
  {
    name: 'float network (quantize)',
    base: () => [readJson(tinyFloat)],
    run: (f, pick, d) => cli('quantize', '--in', f, '--out', path.join(d, 'out.int.json'), '--recipe', RECIPES[pick % 3]!),
    valid: (_r, d) => void parseIntNetwork(readFileSync(path.join(d, 'out.int.json'), 'utf8')),
  },
  {
    name: 'float network (report)',
    base: () => [readJson(tinyFloat), readJson(fixture('../../src/networks/trained/mnist_tiny.float.json'))],
    run: (f) => cli('report', '--model', f, '--format', 'json', '--recipe', 'all'),
    valid: (r) => void JSON.parse(r.stdout),
  },
  {
    name: 'integer network (run)',
    base: () => Object.values(intNets).map(readJson),
    run: (f) => cli('run', '--model', f, '--input', tinyInput, '--json'),
    valid: (r) => expect((JSON.parse(r.stdout) as { output: number[] }).output.every(Number.isSafeInteger)).toBe(true),
  },
  {
    name: 'input (run)',
    base: () => {
      const values = (readJson(tinyInput) as { values: number[] }).values;
      return [{ values }, { integers: values.map((v) => Math.round(v * 10)) }];
    },
    run: (f, pick) => cli('run', '--model', intNets[RECIPES[pick % 3]!]!, '--input', f, '--json'),
    valid: (r) => void JSON.parse(r.stdout),
  },
  {
    name: 'calibration inputs (quantize)',
    base: () => {
      const values = (readJson(tinyInput) as { values: number[] }).values;
      return [{ inputs: [values, values.map((v) => 1 - v)] }];
    },
    run: (f, pick, d) => cli('quantize', '--in', tinyFloat, '--calibration', f, '--out', path.join(d, 'out.int.json'), '--recipe', RECIPES[pick % 3]!),
    valid: (_r, d) => void parseIntNetwork(readFileSync(path.join(d, 'out.int.json'), 'utf8')),
  },
  {
    name: 'unit configuration (gen)',
    // base(i) and the unit share the index `pick % REGISTRY.length`: each unit's own default, mutated.
    base: () => REGISTRY.map((g) => g.defaultConfig),
    run: (f, pick, d) => cli('gen', '--unit', REGISTRY[pick % REGISTRY.length]!.name, '--config', f, '--out', path.join(d, 'rtl')),
    valid: (_r, d) => expect(JSON.parse(readFileSync(path.join(d, 'rtl', 'manifest.json'), 'utf8'))).toHaveProperty('generatedBy'),
  },
  {
    name: 'cost table (report)',
    base: () => [],
    run: (f) => cli('report', '--model', 'mnist_tiny', '--cost-table', f, '--format', 'json'),
    valid: (r) => void JSON.parse(r.stdout),
  },
  {
    name: 'accuracy file (report)',
    base: () => [readJson(fixture('../../src/networks/trained/mnist_tiny.accuracy.json'))],
    run: (f) => cli('report', '--model', 'mnist_tiny', '--accuracy', f, '--format', 'html', '--recipe', 'all'),
    valid: (r) => expect(r.stdout).toMatch(/^<!DOCTYPE html>/i),
  },
];

let costTable: unknown;

describe.each(FORMATS)('mutated $name', (format) => {
  it(`${RUNS} mutated files: exit 0 with valid output, or exit 2 with one line naming the file`, async () => {
    if (format.name.startsWith('cost table')) {
      costTable ??= JSON.parse((await cli('report', '--dump-cost-table')).stdout);
    }
    const bases = format.name.startsWith('cost table') ? [costTable] : format.base();
    const outcomes = { ok: 0, refused: 0 };
    let maxRss = 0;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (pick, ms) => {
        const caseDir = path.join(root, `${format.name.replace(/\W+/g, '-')}-${n++}`);
        mkdirSync(caseDir);
        try {
          const file = path.join(caseDir, 'mutated.json');
          writeFileSync(file, mutate(bases[pick % bases.length], ms));
          const r = await format.run(file, pick, caseDir);
          const breach = contractBreach(r, file);
          if (breach !== null) throw new Error(breach);
          if (r.code === 0) {
            format.valid(r, caseDir);
            outcomes.ok++;
          } else outcomes.refused++;
        } finally {
          rmSync(caseDir, { recursive: true, force: true });
          maxRss = Math.max(maxRss, process.memoryUsage().rss);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // A fuzz that only ever refuses (or only accepts) tests one path: both must occur.
    expect(outcomes.ok + outcomes.refused).toBe(RUNS);
    expect(outcomes.refused).toBeGreaterThan(0);
    if (RUNS >= 40) expect(outcomes.ok).toBeGreaterThan(0);
    if (LONG) process.stderr.write(`mutation fuzz ${format.name}: ${outcomes.ok} accepted, ${outcomes.refused} refused, peak RSS of the worker ${(maxRss / 2 ** 20).toFixed(0)} MiB\n`);
  }, LONG ? 3_600_000 : 300_000);
});
