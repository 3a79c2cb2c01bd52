// The lint gate: every registered generator, at its default and at each of
// its lint points, must emit Verilog that
//   - Verilator accepts with --lint-only -Wall and prints nothing,
//   - Icarus compiles with -g2005 -Wall and prints nothing,
//   - Yosys reads, elaborates (hierarchy -check), processes (proc) and passes
//     `check -assert` without a warning,
// and contains no lint_off anywhere. A missing tool fails the test.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import type { EmittedDesign } from '../../hdl-gen/emit/index.ts';
import { REGISTRY } from '../../hdl-gen/generators/index.ts';
import { writeDesign } from '../../hdl-gen/write/index.ts';
import { type LintTool, lintCheck, pool, requireLintTool } from './tools.ts';

const TOOLS: readonly LintTool[] = ['verilator', 'iverilog', 'yosys'];
const work = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-lint-'));
let checked = 0;
let designs = 0;

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function check(tool: LintTool, d: EmittedDesign, dir: string): Promise<string | undefined> {
  const failure = await lintCheck(tool, d.top, d.sources.map((s) => s.name), dir);
  checked++;
  return failure;
}

describe('lint gate', () => {
  it('has its tools installed', () => {
    for (const t of TOOLS) expect(requireLintTool(t)).not.toBe('');
  });

  for (const g of REGISTRY) {
    it(`${g.name}: default and ${g.lintPoints.length} lint points are lint-clean in ${TOOLS.join(', ')}`, async () => {
      const points = [g.defaultConfig, ...g.lintPoints];
      const jobs: (() => Promise<string | undefined>)[] = [];
      for (const [i, point] of points.entries()) {
        const d = emitDesign(g.build(point));
        for (const f of [...d.sources, ...d.files]) {
          expect(f.text, `${f.name} must not switch lint off`).not.toMatch(/lint_off/i);
        }
        const { dir } = await writeDesign(d, path.join(work, `${g.name}-${i}`));
        designs++;
        for (const t of TOOLS) jobs.push(() => check(t, d, dir));
      }
      const failures = (await pool(jobs, 2)).filter((f): f is string => f !== undefined);
      expect(failures).toEqual([]);
    });
  }

  it('checked a positive number of designs x tools', () => {
    process.stdout.write(`lint gate: ${designs} designs x ${TOOLS.length} tools = ${checked} checks passed\n`);
    expect(designs).toBeGreaterThan(0);
    expect(checked).toBe(designs * TOOLS.length);
  });
});
