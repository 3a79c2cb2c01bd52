/**
 * Reading the tools' results: Yosys `stat -json` (0.23 supports it, so no
 * text scraping for cell counts) and nextpnr's `--report` JSON, with its log
 * line "Max frequency for clock '...': N MHz" as the fallback for Fmax.
 */
import { FpgaError } from './fpgaError.ts';

export interface CellCounts {
  readonly lut4: number;
  /** Every SB_DFF* flavour (enable, set, reset). */
  readonly dff: number;
  readonly carry: number;
  /** SB_RAM40_4K* block RAMs. */
  readonly ram: number;
  /** SB_MAC16 DSPs (UP5K with synth_ice40 -dsp). */
  readonly dsp: number;
  /** All cells by type, sorted by name. */
  readonly cellsByType: Readonly<Record<string, number>>;
}

interface StatModule {
  readonly num_cells_by_type?: Record<string, unknown>;
}

/** Cell counts of `top` from Yosys `stat -json` output (the design total when Yosys gives one). */
export function parseYosysStat(text: string, top: string): CellCounts {
  let doc: { design?: StatModule; modules?: Record<string, StatModule> };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (e) {
    throw new FpgaError(`yosys stat -json: not valid JSON (${(e as Error).message})`);
  }
  const mod = doc.design ?? doc.modules?.[`\\${top}`];
  const byType = mod?.num_cells_by_type;
  if (byType === undefined || byType === null || typeof byType !== 'object') {
    throw new FpgaError(`yosys stat -json: no cell counts for module ${top} (modules: ${Object.keys(doc.modules ?? {}).join(', ') || 'none'})`);
  }
  const cells: Record<string, number> = {};
  for (const k of Object.keys(byType).sort()) {
    const n = byType[k];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new FpgaError(`yosys stat -json: cell count of ${k} is ${JSON.stringify(n)}, not a count`);
    cells[k.replace(/^\\/, '')] = n;
  }
  const sum = (test: (t: string) => boolean): number => Object.entries(cells).reduce((s, [t, n]) => s + (test(t) ? n : 0), 0);
  return Object.freeze({
    lut4: sum((t) => t === 'SB_LUT4'),
    dff: sum((t) => t.startsWith('SB_DFF')),
    carry: sum((t) => t === 'SB_CARRY'),
    ram: sum((t) => t.startsWith('SB_RAM40_4K')),
    dsp: sum((t) => t === 'SB_MAC16'),
    cellsByType: Object.freeze(cells),
  });
}

export interface TimingResult {
  readonly clock: string;
  readonly fmaxMhz: number;
  readonly targetMhz: number;
  readonly met: boolean;
  /** Logic cells used / available, from the report's utilisation. */
  readonly logicCells: { readonly used: number; readonly available: number } | null;
}

const MAX_FREQ = /Max frequency for clock '([^']+)': ([0-9.]+) MHz \((PASS|FAIL) at ([0-9.]+) MHz\)/g;

/** Fmax from nextpnr's JSON report, else from the last "Max frequency" line of its log (the post-route one). */
export function parseNextpnr(reportText: string | null, logText: string): TimingResult {
  if (reportText !== null) {
    try {
      const r = JSON.parse(reportText) as {
        fmax?: Record<string, { achieved?: unknown; constraint?: unknown }>;
        utilization?: Record<string, { used?: unknown; available?: unknown }>;
      };
      const clocks = Object.entries(r.fmax ?? {});
      const lc = r.utilization?.ICESTORM_LC;
      if (clocks.length > 0) {
        // The slowest clock bounds the design (these units have one).
        const [clock, f] = clocks.reduce((a, b) => (Number(b[1].achieved) < Number(a[1].achieved) ? b : a));
        const fmax = Number(f.achieved);
        const target = Number(f.constraint);
        if (Number.isFinite(fmax) && Number.isFinite(target)) {
          return {
            clock,
            fmaxMhz: round2(fmax),
            targetMhz: target,
            met: fmax >= target,
            logicCells: typeof lc?.used === 'number' && typeof lc.available === 'number' ? { used: lc.used, available: lc.available } : null,
          };
        }
      }
    } catch {
      // Fall through to the log.
    }
  }
  const lines = [...logText.matchAll(MAX_FREQ)];
  const last = lines[lines.length - 1];
  if (last === undefined) throw new FpgaError('nextpnr-ice40: no "Max frequency" line in its log and no Fmax in its report: did routing finish? (see nextpnr.log)');
  return { clock: last[1]!, fmaxMhz: Number(last[2]), targetMhz: Number(last[4]), met: last[3] === 'PASS', logicCells: null };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
