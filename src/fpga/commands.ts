/**
 * The tool command lines of a handoff, built once from the view-model: the
 * runner executes these argv arrays, and the templates print the same
 * arrays joined (every token is an identifier, a file name, a flag or a
 * number, so joining with spaces needs no quoting).
 */
import type { FpgaView } from './viewModel.ts';

export const YOSYS_LOG = 'yosys.log';
export const YOSYS_PNR_LOG = 'yosys_pnr.log';
export const NEXTPNR_LOG = 'nextpnr.log';
export const NEXTPNR_REPORT = 'nextpnr_report.json';

export function statFile(v: FpgaView): string {
  return `${v.top}_stat.json`;
}

export function netlistFile(top: string): string {
  return `${top}.json`;
}

export interface FlowCommands {
  /** Synthesis of the unit's top (the measured numbers). */
  readonly yosys: readonly string[];
  /** Synthesis of the wrapper for place-and-route, when there is one. */
  readonly yosysPnr: readonly string[] | null;
  /** Place-and-route, or null when skipped. */
  readonly nextpnr: readonly string[] | null;
}

export function flowCommands(v: FpgaView): FlowCommands {
  const nextpnr =
    v.pnrSkip !== null
      ? null
      : [
          'nextpnr-ice40',
          '-q',
          `--${v.nextpnrDevice}`,
          '--package', v.package,
          '--json', netlistFile(v.pnrTop),
          '--freq', String(v.freqMhz),
          '--timing-allow-fail',
          ...(v.pcf === null ? ['--pcf-allow-unconstrained'] : ['--pcf', v.pcf]),
          '--report', NEXTPNR_REPORT,
          '--log', NEXTPNR_LOG,
          '--asc', `${v.pnrTop}.asc`,
        ];
  return {
    yosys: ['yosys', '-q', '-l', YOSYS_LOG, '-s', 'synth.ys'],
    yosysPnr: v.wrapper === null || v.pnrSkip !== null ? null : ['yosys', '-q', '-l', YOSYS_PNR_LOG, '-s', 'synth_pnr.ys'],
    nextpnr,
  };
}

/** The synth_ice40 options shared by both scripts and the FuseSoC core. */
export function synthOptions(v: FpgaView): string[] {
  return v.dsp ? ['-dsp'] : [];
}
