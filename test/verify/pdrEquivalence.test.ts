// The PDR step of the equivalence checks (src/verify/pdrEquivalence.ts), on
// fixtures small enough for CI: a junk-write mutant of avg_pool that needs an
// invariant (proven), a timing-only mutant of the same unit that no value
// check sees (refuted), and a design whose "mutant" differs only from a
// non-zero initial state (refuted; the same fixture with that register
// initialised to zero is proven, so the refutation is the initial-state rule
// at work and not an accident of the fixture).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fifo } from '../../hdl-gen/generators/fifo.ts';
import { findGenerator } from '../../hdl-gen/generators/index.ts';
import { mutantSchemata } from '../../hdl-gen/mutate/index.ts';
import { findUnitBench } from '../../sim/units/index.ts';
import { type PdrVerdict, pdrVerdict, provePdr } from '../../src/verify/pdrEquivalence.ts';
import { checkStreamBufferPdr } from '../../src/verify/formalStream.ts';
import { schemataDesign } from '../../src/verify/schemataDesign.ts';

const SECONDS = 60;
const probeText = readFileSync(path.join(__dirname, '..', 'fixtures', 'verify', 'init_probe.v'), 'utf8');
const probe = (text: string) => ({ coreTop: 'init_probe', coreSources: [{ name: 'init_probe.v', text }], inWidth: 4, outWidth: 4 });

describe('PDR equivalence (yosys-abc pdr on the AIGER stream miter)', () => {
  it('starts every register anywhere: a difference only from a non-zero initial state is found', async () => {
    const v = await provePdr(probe(probeText), 1, SECONDS);
    expect(v.kind, JSON.stringify(v)).toBe('failed');
    expect((await provePdr(probe(probeText), 0, SECONDS)).kind).toBe('proven');
    // Control: the same register starting at 0 makes the two equal, and PDR says so.
    const zeroInit = probeText.replace('reg [3:0] junk;', "reg [3:0] junk = 4'd0;");
    expect(zeroInit).not.toBe(probeText);
    expect((await provePdr(probe(zeroInit), 1, SECONDS)).kind).toBe('proven');
  });

  it("proves avg_pool's junk row-buffer write equivalent and refutes its timing-only in_ready mutant", async () => {
    const bench = findUnitBench('avg_pool')!;
    const config = { ...(findGenerator('avg_pool')!.defaultConfig as object), channels: 1, inputBits: 2, width: 4, height: 4 };
    const module = bench.prepare(config, 16, 1).module;
    const sites = schemataDesign(module, new Set()).mutations;
    const id = (description: string): number => {
      const m = sites.find((x) => x.description === description);
      if (m === undefined) throw new Error(`no mutant "${description}" in ${sites.length} sites`);
      return m.id;
    };
    const junk = id('avg_pool.rows_buffer.writeEnable: and -> or in and(and(in_valid, in_ready), 1:u1)');
    const timing = id('avg_pool.in_ready: not -> buffer in not(completes)');
    const d = schemataDesign(module, new Set([junk, timing]));
    const input = { coreTop: d.coreTop, coreSources: d.coreSources, inWidth: d.sim.inWidth, outWidth: d.sim.outWidth };
    const proof = await provePdr(input, junk, SECONDS);
    expect(proof.kind, JSON.stringify(proof)).toBe('proven');
    expect(proof.kind === 'proven' && proof.clauses).toBeGreaterThan(0);
    const refuted = await provePdr(input, timing, SECONDS);
    expect(refuted.kind, JSON.stringify(refuted)).toBe('failed');
  });

  it('proves the 4-entry FIFO loses, duplicates and reorders nothing (sat -tempinduct stays bounded there), and refutes one whose write pointer lost its wrap bit', async () => {
    const fifo4 = () => fifo({ name: 'fifo', width: 4, depthLog2: 2 });
    const ok = await checkStreamBufferPdr('fifo 4x4', fifo4(), 4, SECONDS);
    expect(ok.verdict.kind, JSON.stringify(ok.verdict)).toBe('proven');
    const wrap = mutantSchemata(fifo4(), { select: new Set() }).mutations.find((m) => m.description === 'fifo.wptr: resize to 3 -> 2 bits in resize(add(wptr, 1:u1), u3)');
    expect(wrap).toBeDefined();
    const broken = await checkStreamBufferPdr('fifo 4x4, wrap bit lost', mutantSchemata(fifo4(), { only: wrap!.id }).top, 4, SECONDS);
    expect(broken.verdict.kind, JSON.stringify(broken.verdict)).toBe('failed');
  });

  it('reads a proof only with a checked invariant, and a missing verdict as an error', () => {
    const run = (log: string) => ({ ok: true, log, ms: 1, timedOut: false });
    const proven: PdrVerdict = pdrVerdict(run('Invariant F[3] : 12 clauses with 9 flops (out of 9)\nVerification of invariant with 12 clauses was successful.\nProperty proved.  Time = 0.1 sec\nStatus = 1  Frames = 4   Cex is not defined.'));
    expect(proven).toEqual({ kind: 'proven', clauses: 12, frames: 4, ms: 1 });
    expect(pdrVerdict(run('Property proved.  Time = 0.1 sec\nStatus = 1  Frames = 4')).kind).toBe('error');
    expect(pdrVerdict(run('Output 0 of miter "m" was asserted in frame 7.  Time = 0.0 sec\nStatus = 0  Frames = 4   CEX: Po = 0')).kind).toBe('failed');
    expect(pdrVerdict(run('Reached timeout (60 seconds).\nStatus = -1')).kind).toBe('undecided');
    expect(pdrVerdict({ ok: false, log: '', ms: 1, timedOut: true }).kind).toBe('undecided');
    expect(pdrVerdict(run('')).kind).toBe('error');
  });
});
