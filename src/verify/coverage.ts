/**
 * Verilator coverage of a unit under its property stimulus: the unit (not a
 * mutant) built with --coverage-line --coverage-toggle, run through the same
 * frames as the mutation run (always ready, then the default backpressure
 * seeds), the counters written by the harness at exit (PIKEHDL_COVERAGE) and
 * read back here: line (with branch) points and toggle points, each covered
 * when its count is non-zero, with the list of points no test reaches.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { toSimDesign } from '../../sim/check/index.ts';
import { type SimDesign, buildSimulator, compareOutputs, startSimulator } from '../../sim/index.ts';
import type { PreparedCase } from '../../sim/units/index.ts';
import { propertyFrames } from './mutateUnit.ts';
import type { PropertyFrames } from './runMutant.ts';
import { VerifyError } from './verifyError.ts';

export const COVERAGE_FLAGS = ['--coverage-line', '--coverage-toggle'] as const;
const WAIVED_SINK = 'unused_ok';
/** Zeroed registers (Verilator's rand-reset 0): see designCoverage. */
export const COVERAGE_INITIAL_STATE: readonly string[] = ['+verilator+rand+reset+0'];

export interface CoveragePoint {
  readonly kind: 'line' | 'toggle';
  readonly file: string;
  readonly line: number;
  /** Verilator's comment: the block for a line point, the signal (and bit) for a toggle point. */
  readonly what: string;
  readonly count: number;
}

export interface CoverageFigure {
  readonly covered: number;
  readonly total: number;
  /** Percent; 100 when there are no points. */
  readonly percent: number;
}

export interface UnitCoverage {
  readonly unit: string;
  readonly line: CoverageFigure;
  readonly toggle: CoverageFigure;
  readonly uncovered: readonly CoveragePoint[];
  /** Points left out of the figures, with why (the emitter's sink of deliberately unread bits). */
  readonly waived: readonly (CoveragePoint & { readonly why: string })[];
  readonly buildMs: number;
  readonly runMs: number;
}

/** Parses a Verilator coverage.dat (`C '<\x01key\x02value...>' count` lines). */
export function parseCoverage(text: string): CoveragePoint[] {
  const out: CoveragePoint[] = [];
  for (const raw of text.split('\n')) {
    const m = /^C '(.*)' (\d+)$/.exec(raw);
    if (m === null) continue;
    const fields = new Map<string, string>();
    for (const kv of m[1]!.split('\x01')) {
      const i = kv.indexOf('\x02');
      if (i > 0) fields.set(kv.slice(0, i), kv.slice(i + 1));
    }
    const page = fields.get('page') ?? '';
    const kind = page.startsWith('v_toggle') ? 'toggle' : page.startsWith('v_line') || page.startsWith('v_branch') ? 'line' : undefined;
    if (kind === undefined) continue;
    out.push({
      kind,
      file: path.basename(fields.get('f') ?? '?'),
      line: Number(fields.get('l') ?? 0),
      what: fields.get('o') ?? '',
      count: Number(m[2]),
    });
  }
  return out;
}

function figure(points: readonly CoveragePoint[]): CoverageFigure {
  const covered = points.filter((p) => p.count > 0).length;
  return { covered, total: points.length, percent: points.length === 0 ? 100 : (100 * covered) / points.length };
}

export async function unitCoverage(unit: string, prepared: PreparedCase, timeoutMs = 600_000): Promise<UnitCoverage> {
  const design = toSimDesign(emitDesign(prepared.module, { romInit: 'inline' }), `coverage(${unit})`);
  return designCoverage(unit, design, propertyFrames(prepared, design.outWidth, design.inWidth), timeoutMs);
}

/** Coverage of any stream design under the frames of its property (each output compared on the way). */
export async function designCoverage(unit: string, design: SimDesign, p: PropertyFrames, timeoutMs = 600_000): Promise<UnitCoverage> {
  const t0 = Date.now();
  const built = await buildSimulator(design, { log: () => {}, extraVerilatorArgs: [...COVERAGE_FLAGS] });
  const buildMs = Date.now() - t0;
  const file = path.join(built.dir, `coverage-${process.pid}-${randomBytes(4).toString('hex')}.dat`);
  const t1 = Date.now();
  // All registers start at 0, not random (the co-simulation's default): Verilator counts a bit as
  // toggled when it changes from its initial value, so from random registers the first write of
  // a counter or a data register "toggles" about half of bits the design never drives to 1 (the
  // accelerator read 93.5% toggle coverage that way against 71.4% from zeros). From zeros,
  // every counted toggle is a 1 the design wrote (or read into a register).
  const sim = await startSimulator(built, { timeoutMs, env: { PIKEHDL_COVERAGE: file }, args: [...COVERAGE_INITIAL_STATE] });
  try {
    for (let k = 0; k < p.frames.length; k++) {
      const frame = p.frames[k]!;
      const r = await sim.run(frame);
      const cmp = compareOutputs(p.expected[k]!, r.outputs, frame.expectOutputs, design.outWidth, 1);
      if (cmp.mismatchCount > 0) throw new VerifyError(`coverage(${unit}): ${p.names[k]}: the coverage build disagrees with the reference on ${cmp.mismatchCount} outputs`);
    }
    await sim.close();
  } finally {
    sim.kill();
  }
  const runMs = Date.now() - t1;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new VerifyError(`coverage(${unit}): the harness wrote no coverage file (is it built with ${COVERAGE_FLAGS.join(' ')}?)`);
  } finally {
    await rm(file, { force: true });
  }
  const all = parseCoverage(text);
  // unused_ok is the emitter's sink for bits a module deliberately never reads
  // (a reduction that feeds nothing): no output depends on it, so it is waived.
  const isWaived = (q: CoveragePoint): boolean => q.kind === 'toggle' && q.what === WAIVED_SINK;
  const points = all.filter((q) => !isWaived(q));
  const waived = all.filter(isWaived).map((q) => ({ ...q, why: 'the emitter sink of deliberately unread bits, &{1\'b0, ...}: constant by construction, drives nothing' }));
  const line = points.filter((q) => q.kind === 'line');
  const toggle = points.filter((q) => q.kind === 'toggle');
  return { unit, line: figure(line), toggle: figure(toggle), uncovered: points.filter((q) => q.count === 0), waived, buildMs, runMs };
}
