import { SimError } from '../simError.ts';
import type { SimDesign } from '../types.ts';

/**
 * What checkUnit accepts: an emitted design (hdl-gen/emit's EmittedDesign fits
 * structurally) or a hand-written SimDesign.
 */
export interface UnitDesign {
  readonly top: string;
  readonly sources: readonly { readonly name: string; readonly text: string }[];
  readonly inWidth: number;
  readonly outWidth: number;
  /** Side files (ROM hex) of an emitted design; co-simulation needs them inline, so this must be empty. */
  readonly files?: readonly { readonly name: string }[];
}

/** Converts to the simulator's design type, refusing what co-simulation cannot run. */
export function toSimDesign(design: UnitDesign, where: string): SimDesign {
  if (design.files !== undefined && design.files.length > 0) {
    throw new SimError(
      `${where}: design ${design.top} has side files (${design.files.map((f) => f.name).join(', ')}); ` +
        `emit it with romInit 'inline' so the simulators need no working-directory files`,
    );
  }
  if (design.inWidth < 1 || design.outWidth < 1) {
    throw new SimError(
      `${where}: design ${design.top} has inWidth ${design.inWidth} and outWidth ${design.outWidth}; ` +
        `its top must follow the stream convention (clk, rst, in_*, out_*) so both are at least 1`,
    );
  }
  return {
    top: design.top,
    sources: design.sources.map((s) => ({ name: s.name, text: s.text })),
    inWidth: design.inWidth,
    outWidth: design.outWidth,
  };
}
