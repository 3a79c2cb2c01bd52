import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { buildSimulator, coSimulate, packValues, SimError, startSimulator } from '../../sim/index.ts';
import type { BuiltSimulator, SimFrame } from '../../sim/index.ts';
import { fixtureDesign } from './helpers.ts';

const quiet = (): void => undefined;
const bytes = (values: number[]): SimFrame => ({
  inputs: packValues(values.map(BigInt), 8),
  count: values.length,
  expectOutputs: values.length,
});

async function failure(p: Promise<unknown>): Promise<SimError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SimError);
  return e as SimError;
}

describe('a design that never asserts out_valid', () => {
  it('ends the frame through the cycle budget with the design, frame and transaction reached', async () => {
    const built = await buildSimulator(fixtureDesign('never_valid', 8, 8), { log: quiet });
    const sim = await startSimulator(built, { timeoutMs: 30_000 });
    await sim.run({ ...bytes([1]), expectOutputs: 0 }); // an input-only frame completes
    const e = await failure(sim.run(bytes([1, 2, 3, 4, 5])));
    expect(e.kind).toBe('status');
    expect(e.message).toMatch(
      /design never_valid frame 1: cycle budget exhausted after 10640 cycles \(budget 10640\); reached input transaction 5 of 5 and output 0 of 5/,
    );
    // A frame that states its own budget is held to it (a whole-network inference states millions).
    const own = await failure(sim.run({ ...bytes([1, 2]), cycleBudget: 123_456 }));
    expect(own.message).toMatch(/frame 2: cycle budget exhausted after 123456 cycles \(budget 123456\)/);
    await expect(sim.run({ ...bytes([1]), cycleBudget: 0 })).rejects.toThrow(/cycleBudget 0 must be a positive integer/);
    // The process survives a status error and still closes cleanly.
    expect(await sim.close()).toMatchObject({ frames: 3 });
  });
});

describe('coSimulate on a design that stalls forever', () => {
  it('reports the budget error with a VCD of the failing frame', async () => {
    const built = await buildSimulator(fixtureDesign('never_valid', 8, 8), { log: quiet });
    const frame = bytes([9, 8, 7]);
    const e = await failure(coSimulate({ built, frames: [frame], expected: [new Uint8Array(3)], describe: 'stall check' }));
    expect(e.kind).toBe('status');
    expect(e.message).toMatch(/coSimulate\(stall check\): pikehdl sim: design never_valid frame 0: cycle budget exhausted/);
    const vcd = /VCD of the failing frame: (.*\.vcd)/.exec(e.message)?.[1];
    expect(vcd && existsSync(vcd)).toBe(true);
  });
});

describe('a design that withdraws out_valid before out_ready', () => {
  it('is reported as a valid/ready protocol violation under backpressure', async () => {
    const built = await buildSimulator(fixtureDesign('valid_glitch', 8, 8), { log: quiet });
    const sim = await startSimulator(built, { timeoutMs: 30_000 });
    const e = await failure(sim.run({ ...bytes([1, 2, 3, 4]), backpressure: { seed: 1, inValidPct: 100, outReadyPct: 30 } }));
    expect(e.kind).toBe('status');
    expect(e.message).toMatch(/design valid_glitch frame 0: out_valid\/out_data changed before the output was accepted/);
    await sim.close();
  });
});

describe('frame validation', () => {
  it('rejects short inputs and bad backpressure settings before sending anything', async () => {
    const built = await buildSimulator(fixtureDesign('never_valid', 8, 8), { log: quiet });
    const sim = await startSimulator(built);
    await expect(sim.run({ inputs: new Uint8Array(2), count: 3, expectOutputs: 0 })).rejects.toThrow(
      /design never_valid frame 0: inputs hold 2 bytes, need 3 x 1/,
    );
    await expect(
      sim.run({ ...bytes([1]), backpressure: { seed: 1, inValidPct: 0, outReadyPct: 50 } }),
    ).rejects.toThrow(/backpressure\.inValidPct 0 must be an integer from 1 to 100/);
    expect(await sim.close()).toMatchObject({ frames: 0 });
  });
});

describe('a harness that crashes', () => {
  it('reports the exit during the frame, with stderr, and refuses further runs', async () => {
    const built = await buildSimulator(fixtureDesign('stop_on_magic', 8, 8), { log: quiet });
    const sim = await startSimulator(built, { timeoutMs: 30_000 });
    const ok = await sim.run(bytes([1, 2, 3]));
    expect([...ok.outputs]).toEqual([1, 2, 3]);
    const e = await failure(sim.run(bytes([4, 0xee, 5])));
    expect(e.kind).toBe('crash');
    expect(e.message).toMatch(/harness for design stop_on_magic (was killed by signal SIGABRT|exited with code \d+) during frame 1/);
    expect(e.message).toContain('Verilog $stop');
    await expect(sim.run(bytes([1]))).rejects.toThrow(/stop_on_magic/);
    await expect(sim.close()).rejects.toThrow(/without its completion sentinel/);
  });
});

describe('a design that calls $finish', () => {
  it('reports the frame and transaction reached, then close() finds no sentinel', async () => {
    const built = await buildSimulator(fixtureDesign('finish_on_magic', 8, 8), { log: quiet });
    const sim = await startSimulator(built, { timeoutMs: 30_000 });
    const e = await failure(sim.run(bytes([1, 2, 0xf1, 3, 4])));
    expect(e.kind).toBe('status');
    expect(e.message).toMatch(/design finish_on_magic frame 0: design called \$finish\/\$stop after \d+ cycles; reached input transaction 3 of 5/);
    await expect(sim.close()).rejects.toThrow(/without its completion sentinel PIKEHDL_DONE \(exited with code 5 after 1 frames\)/);
  });
});

describe('a broken design', () => {
  it('fails the build with the design name and the tail of the Verilator output', async () => {
    const design = {
      top: 'broken_design',
      sources: [{ name: 'broken_design.v', text: 'module broken_design(input wire clk);\n  assign nope = ;\nendmodule\n' }],
      inWidth: 8,
      outWidth: 8,
    };
    const e = await failure(buildSimulator(design, { log: quiet }));
    expect(e.kind).toBe('build');
    expect(e.message).toMatch(/Verilator build of design broken_design failed \(exit code \d+\)/);
    expect(e.message).toMatch(/%Error: src\/broken_design\.v:2/);
  });
});

describe('misbehaving harness processes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pikehdl-fake-harness-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fake = (name: string, script: string): BuiltSimulator => {
    const binaryPath = path.join(dir, name);
    writeFileSync(binaryPath, `#!/bin/sh\n${script}\n`);
    chmodSync(binaryPath, 0o755);
    return { top: `fake_${name}`, inWidth: 8, outWidth: 8, hash: name, dir, binaryPath, cacheHit: false };
  };

  it('missing completion sentinel: close() throws', async () => {
    const sim = await startSimulator(fake('no_sentinel', 'cat > /dev/null'), { timeoutMs: 10_000 });
    const e = await failure(sim.close());
    expect(e.kind).toBe('sentinel');
    expect(e.message).toMatch(/harness for design fake_no_sentinel ended without its completion sentinel PIKEHDL_DONE \(exited with code 0 after 0 frames\)/);
  });

  it('garbage on stdout (bad magic): the run fails and the process is killed', async () => {
    const sim = await startSimulator(
      fake('garbage', 'printf "Segmentation fault? no, just some text that is not a frame at all\\n"; exec cat > /dev/null'),
      { timeoutMs: 10_000 },
    );
    const e = await failure(sim.run(bytes([1, 2])));
    expect(e.kind).toBe('bad-response');
    expect(e.message).toMatch(/fake_garbage sent a bad response header for frame 0 \(magic 0x[0-9a-f]+.*"Segmentation fault\? no/);
    await expect(sim.close()).rejects.toThrow(/completion sentinel/);
  });

  it('a hang: the per-run timeout kills the process by pid and reports the frame', async () => {
    const sim = await startSimulator(fake('hang', 'exec sleep 60'), { timeoutMs: 300 });
    const started = Date.now();
    const e = await failure(sim.run(bytes([1, 2, 3])));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(
      new RegExp(`fake_hang timed out after 300 ms in frame 0 \\(3 transactions, expecting 3 outputs\\); process ${sim.pid} killed`),
    );
    await expect(sim.close()).rejects.toThrow(/killed by signal SIGKILL/);
  });

  it('an early exit mid-frame is reported with the exit code', async () => {
    const sim = await startSimulator(fake('early_exit', 'head -c 10 > /dev/null; echo oops >&2; exit 7'), { timeoutMs: 10_000 });
    const e = await failure(sim.run(bytes([1, 2, 3])));
    expect(e.kind).toBe('crash');
    expect(e.message).toMatch(/fake_early_exit exited with code 7 during frame 0 \(3 transactions sent\); stderr:\noops/);
  });

  it('a missing binary is reported, not hung on', async () => {
    const built = { ...fake('x', 'true'), binaryPath: path.join(dir, 'does_not_exist') };
    await expect(startSimulator(built, { timeoutMs: 5_000 })).rejects.toThrow(
      /could not start the harness for design fake_x: spawn .*does_not_exist ENOENT/,
    );
  });
});
