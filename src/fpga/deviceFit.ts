/**
 * What a design's synthesis needs against what an iCE40 part holds: the
 * "fits?" of `fpga --model --run` and of the accelerator's default choice
 * (src/train/accelDefault.ts).
 */
import type { DeviceId } from './devices.ts';

export interface Capacity {
  readonly lut4: number;
  readonly ram: number;
  readonly dsp: number;
}

/** iCE40 resources per device: LUT4 (logic cells), RAM4K blocks, SB_MAC16 DSP tiles. */
export const CAPACITY: Readonly<Record<DeviceId, Capacity>> = Object.freeze({
  'hx8k-ct256': Object.freeze({ lut4: 7680, ram: 32, dsp: 0 }),
  'up5k-sg48': Object.freeze({ lut4: 5280, ram: 30, dsp: 8 }),
});

/** A measured fit: synthesis's cells against the part's, and Fmax when it placed. */
export interface DeviceFit {
  readonly lut4: number;
  readonly ram: number;
  readonly dsp: number;
  readonly dff: number;
  readonly capacity: Capacity;
  readonly fits: boolean;
  readonly fmaxMhz: number | null;
  readonly inferencesPerSecond: number | null;
}

/** Why cells exceed a part ("synthesis exceeds <id>: 76/32 RAM4K"), or undefined when they fit. */
export function exceeds(id: DeviceId, c: Capacity): string | undefined {
  const cap = CAPACITY[id];
  const excess = [c.lut4 > cap.lut4 ? `${c.lut4}/${cap.lut4} LUT4` : '', c.ram > cap.ram ? `${c.ram}/${cap.ram} RAM4K` : '', c.dsp > cap.dsp ? `${c.dsp}/${cap.dsp} DSP` : ''].filter((x) => x !== '');
  return excess.length === 0 ? undefined : `synthesis exceeds ${id}: ${excess.join(', ')}`;
}
