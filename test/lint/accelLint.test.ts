// The lint gate for the network accelerator: the default (mnist_tiny, fitted) and a wide
// configuration with lanes=3 and a residual network with a padded max pool, each emitted with its hex files and
// checked by Verilator -Wall (zero warnings), Icarus and Yosys, no lint_off anywhere.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileAccel, fitAccelConfig, parseAccelConfig } from '../../src/accel/index.ts';
import { generateAccelerator } from '../../hdl-gen/accel/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { writeDesign } from '../../hdl-gen/write/index.ts';
import { type LintTool, lintCheck, pool } from './tools.ts';
import { mnistTinyInt } from '../accel/mnistModel.ts';
import { buildNetwork } from '../../src/verify/randomNetwork.ts';

const TOOLS: readonly LintTool[] = ['verilator', 'iverilog', 'yosys'];
const work = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-accel-lint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('lint gate: network accelerator', () => {
  it('default and a 3-lane residual configuration are lint-clean', async () => {
    const net = mnistTinyInt();
    const residual = buildNetwork({ h: 4, w: 4, c: 3, bits: 4, signed: true, seed: 5, layers: [
      { op: 'conv', k: 3, s: 1, p: 1, c: 3, wb: 4, act: 'relu', bits: 4, signed: false, r: 'rne', norm: true, prelu: true },
      { op: 'add', back: 1, r: 'rna', act: 'none', prelu: true },
      { op: 'maxpool', k: 3, s: 2, p: 1, clip: false },
      { op: 'pool', global: true, r: 'rnu' },
    ] });
    const points = [compileAccel(net, fitAccelConfig(net)), compileAccel(residual, parseAccelConfig({ lanes: 3 }))];
    const jobs: (() => Promise<string | undefined>)[] = [];
    for (const [i, p] of points.entries()) {
      const d = emitDesign(generateAccelerator(p, 'pike_accel', { statusPorts: i === 0 }));
      for (const f of [...d.sources, ...d.files]) expect(f.text).not.toMatch(/lint_off/i);
      const { dir } = await writeDesign(d, path.join(work, `accel-${i}`));
      for (const t of TOOLS) jobs.push(() => lintCheck(t, d.top, d.sources.map((s) => s.name), dir));
    }
    const failures = (await pool(jobs, 2)).filter((f): f is string => f !== undefined);
    expect(failures).toEqual([]);
    expect(jobs.length).toBe(6);
  }, 300_000);
});
