// The lint gate for the AXI build (config.memory 'axi'): the default 64-bit bus, a 128-bit bus
// with short bursts and the spill build (activations in external memory, 128-bit), each checked by Verilator -Wall (zero warnings), Icarus and Yosys, no
// lint_off; the emitted Verilog is the same on a second emission (deterministic).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAccelConfig } from '../../src/accel/index.ts';
import { generateAxiAccelerator } from '../../hdl-gen/accel/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { writeDesign } from '../../hdl-gen/write/index.ts';
import { type LintTool, lintCheck, pool } from '../lint/tools.ts';
import { AXI_TEST_CONFIG } from './axiTestConfig.ts';
import { AXI_SPILL_CONFIG } from './axiSpillConfig.ts';

const TOOLS: readonly LintTool[] = ['verilator', 'iverilog', 'yosys'];
const work = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-axi-lint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('lint gate: AXI build', () => {
  it('64-bit and 128-bit bus configurations are lint-clean and deterministic', async () => {
    const configs = [
      AXI_TEST_CONFIG,
      parseAccelConfig({ lanes: 3, memory: 'axi', axiDataBits: 128, axiMaxBurst: 4, axiMaxOutstanding: 2, weightAddrBits: 5, paramAddrBits: 3 }),
      parseAccelConfig({ ...AXI_SPILL_CONFIG, axiDataBits: 128 }),
    ];
    const jobs: (() => Promise<string | undefined>)[] = [];
    for (const [i, c] of configs.entries()) {
      const d = emitDesign(generateAxiAccelerator(c));
      const again = emitDesign(generateAxiAccelerator(c));
      expect(again.sources.map((s) => s.text)).toEqual(d.sources.map((s) => s.text));
      for (const f of [...d.sources, ...d.files]) expect(f.text).not.toMatch(/lint_off/i);
      const { dir } = await writeDesign(d, path.join(work, `axi-${i}`));
      for (const t of TOOLS) jobs.push(() => lintCheck(t, d.top, d.sources.map((s) => s.name), dir));
    }
    const failures = (await pool(jobs, 2)).filter((f): f is string => f !== undefined);
    expect(failures).toEqual([]);
    expect(jobs.length).toBe(9);
  }, 300_000);
});
