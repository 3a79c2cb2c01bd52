import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bytesPerTransaction, readValue, writeValue } from './packing.ts';
import { buildRoot } from './paths.ts';
import { DEFAULT_DRAIN_CYCLES, MAX_DRAIN_CYCLES, RESET_CYCLES, SENTINEL_PREFIX, cycleBudget } from './protocol.ts';
import { renderTemplate } from './renderTemplate.ts';
import { requireTool } from './requireTool.ts';
import { runProcess, tail } from './runProcess.ts';
import { SimError } from './simError.ts';
import type { SimDesign } from './types.ts';
import { validateDesign } from './validateDesign.ts';

export interface IcarusRun extends SimDesign {
  /** `count` packed input transactions. */
  inputs: Uint8Array;
  count: number;
  expectOutputs: number;
  /** Idle cycles after the last expected output in which out_valid fails the run (default 64, as in the harness). */
  drainCycles?: number;
  /** Seed of the random bits driven on in_data while in_valid is low (default 1). */
  junkSeed?: number;
  timeoutMs?: number;
  buildDir?: string;
}

export interface IcarusResult {
  outputs: Uint8Array;
  count: number;
  cycles: number;
}

const MAX_ICARUS_TRANSACTIONS = 100_000;
let runCounter = 0;

/**
 * Cross-checks a design in Icarus Verilog (about 1000x slower than Verilator:
 * meant for a few hundred transactions). Same stream protocol, always
 * valid/ready; outputs come back in the packed wire format.
 */
export async function runIcarus(run: IcarusRun): Promise<IcarusResult> {
  validateDesign(run);
  if (run.top === 'pikehdl_tb') throw new SimError(`runIcarus: design.top "pikehdl_tb" is reserved for the testbench`);
  for (const [k, v] of [['count', run.count], ['expectOutputs', run.expectOutputs]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_ICARUS_TRANSACTIONS) {
      throw new SimError(`runIcarus(${run.top}): ${k} ${v} must be an integer from 1 to ${MAX_ICARUS_TRANSACTIONS}`);
    }
  }
  const drainCycles = run.drainCycles ?? DEFAULT_DRAIN_CYCLES;
  if (!Number.isInteger(drainCycles) || drainCycles < 0 || drainCycles > MAX_DRAIN_CYCLES) {
    throw new SimError(`runIcarus(${run.top}): drainCycles ${drainCycles} must be an integer from 0 to ${MAX_DRAIN_CYCLES}`);
  }
  const junkSeed = run.junkSeed ?? 1;
  if (!Number.isInteger(junkSeed) || junkSeed < 0 || junkSeed > 0x7fffffff) {
    throw new SimError(`runIcarus(${run.top}): junkSeed ${junkSeed} must be an integer from 0 to 2^31-1`);
  }
  const inBytes = bytesPerTransaction(run.inWidth);
  if (run.inputs.length < run.count * inBytes) {
    throw new SimError(`runIcarus(${run.top}): inputs hold ${run.inputs.length} bytes, need ${run.count} x ${inBytes}`);
  }
  requireTool('iverilog');
  requireTool('vvp');
  const dir = path.join(buildRoot(run.buildDir), 'icarus', `${run.top}-${process.pid}-${runCounter++}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'src'), { recursive: true });
  const digits = Math.ceil(run.inWidth / 4);
  const lines: string[] = [];
  for (let i = 0; i < run.count; i++) lines.push(readValue(run.inputs, i, run.inWidth).toString(16).padStart(digits, '0'));
  await writeFile(path.join(dir, 'inputs.hex'), `${lines.join('\n')}\n`);
  const tb = renderTemplate('icarus/testbench.v.hbs', {
    top: run.top,
    inWidth: run.inWidth,
    outWidth: run.outWidth,
    count: run.count,
    expectOutputs: run.expectOutputs,
    budget: cycleBudget(run.count, run.expectOutputs),
    drainCycles,
    junkSeed,
    resetCycles: RESET_CYCLES,
    inputFile: 'inputs.hex',
    outputFile: 'outputs.hex',
    sentinelPrefix: SENTINEL_PREFIX,
  }).text;
  await writeFile(path.join(dir, 'pikehdl_tb.v'), tb);
  for (const s of run.sources) await writeFile(path.join(dir, 'src', s.name), s.text);
  const verilog = run.sources.filter((s) => /\.s?v$/.test(s.name)).map((s) => path.join('src', s.name));
  const timeoutMs = run.timeoutMs ?? 300_000;
  const where = `runIcarus(${run.top})`;
  const compile = await runProcess(
    'iverilog',
    ['-g2005', '-Wall', '-Wno-timescale', '-Isrc', '-s', 'pikehdl_tb', '-o', 'sim.vvp', 'pikehdl_tb.v', ...verilog],
    { cwd: dir, timeoutMs },
  );
  if (compile.code !== 0) {
    throw new SimError(`${where}: iverilog failed (exit code ${String(compile.code)}); files kept in ${dir}:\n${tail(compile.output)}`, 'build');
  }
  const sim = await runProcess('vvp', ['-n', 'sim.vvp'], { cwd: dir, timeoutMs });
  const m = new RegExp(`${SENTINEL_PREFIX} frames=1 transactions=(\\d+) outputs=(\\d+) cycles=(\\d+)`).exec(sim.output);
  if (sim.code !== 0 || !m) {
    const budget = /PIKEHDL_BUDGET cycles=(\d+) transactions=(\d+) outputs=(\d+)/.exec(sim.output);
    const extra = /PIKEHDL_EXTRA cycles=(\d+) transactions=(\d+) outputs=(\d+) drain_cycle=(\d+)/.exec(sim.output);
    const why = budget
      ? `cycle budget exhausted after ${budget[1]} cycles at input transaction ${budget[2]} of ${run.count}, output ${budget[3]} of ${run.expectOutputs}`
      : extra
        ? `out_valid rose in idle cycle ${extra[4]} after the last expected output (an extra output; ${extra[2]} inputs, ${extra[3]} outputs taken)`
        : `ended without the completion sentinel (${sim.signal ? `signal ${sim.signal}` : `exit code ${String(sim.code)}`})`;
    throw new SimError(`${where}: ${why}; files kept in ${dir}:\n${tail(sim.output, 20)}`, budget || extra ? 'status' : 'sentinel');
  }
  const outText = await readFile(path.join(dir, 'outputs.hex'), 'utf8');
  const outLines = outText.split('\n').filter((l) => l.trim() !== '');
  if (outLines.length !== run.expectOutputs) {
    throw new SimError(`${where}: testbench wrote ${outLines.length} outputs, expected ${run.expectOutputs}`, 'bad-response');
  }
  const outputs = new Uint8Array(run.expectOutputs * bytesPerTransaction(run.outWidth));
  outLines.forEach((l, i) => {
    const t = l.trim();
    if (!/^[0-9a-fA-F]+$/.test(t)) {
      throw new SimError(`${where}: output ${i} is ${JSON.stringify(t)}: unknown (x/z) bits or not hex`, 'bad-response');
    }
    writeValue(outputs, i, run.outWidth, BigInt(`0x${t}`));
  });
  await rm(dir, { recursive: true, force: true });
  return { outputs, count: run.expectOutputs, cycles: Number(m[3]) };
}
