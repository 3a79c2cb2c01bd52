/**
 * The iCE40 parts the handoff targets. `ioPins` is the package's user I/O
 * count (HX8K CT256: 206 of its 256 balls; UP5K SG48: 39): a design whose
 * stream ports need more gets the serialising wrapper for place-and-route.
 */
export const DEVICE_IDS = ['hx8k-ct256', 'up5k-sg48'] as const;
export type DeviceId = (typeof DEVICE_IDS)[number];

export interface Device {
  readonly id: DeviceId;
  /** nextpnr-ice40's device flag, without the dashes. */
  readonly nextpnrDevice: 'hx8k' | 'up5k';
  readonly package: string;
  readonly ioPins: number;
  /** Has SB_MAC16 DSP tiles: synthesise with synth_ice40 -dsp. */
  readonly dsp: boolean;
}

export const DEVICES: Readonly<Record<DeviceId, Device>> = Object.freeze({
  'hx8k-ct256': Object.freeze({ id: 'hx8k-ct256', nextpnrDevice: 'hx8k', package: 'ct256', ioPins: 206, dsp: false }),
  'up5k-sg48': Object.freeze({ id: 'up5k-sg48', nextpnrDevice: 'up5k', package: 'sg48', ioPins: 39, dsp: true }),
});

export const DEFAULT_DEVICE: DeviceId = 'hx8k-ct256';
