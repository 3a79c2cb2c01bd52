/**
 * The handoff's view-model: every value the templates under templates/fpga/
 * print, validated by one zod schema before anything is rendered. Names that
 * reach Yosys scripts, shell lines, Makefiles or YAML are identifiers or
 * plain file names; numbers are numbers. Nothing is pasted raw.
 */
import { z } from 'zod';
import { identifierProblem } from '../../hdl-gen/dsl/index.ts';
import { describeZodError } from '../cost/zodIssues.ts';
import { DEVICE_IDS, DEVICES, type Device, type DeviceId } from './devices.ts';
import { FpgaError } from './fpgaError.ts';

const identifier = z.string('must be a string').superRefine((v, ctx) => {
  const problem = identifierProblem(v);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `must be a Verilog identifier: it ${problem}` });
});

function fileName(ext: string) {
  const rule = new RegExp(`^[A-Za-z][A-Za-z0-9_]*\\.${ext}$`);
  return z.string('must be a string').regex(rule, `must be a plain file name matching ${String(rule)}`);
}

const positiveInt = z.number('must be a number').int('must be an integer').positive('must be > 0');

export const fpgaViewSchema = z.strictObject({
  /** Who generated the handoff (a fixed tool name: no dates, so renders are reproducible). */
  generatedBy: z.string().regex(/^[A-Za-z0-9 ._-]+$/, 'must be letters, digits, spaces and ._-'),
  unit: identifier,
  /** FuseSoC VLNV: vendor:library:name:version. */
  coreVlnv: z.string().regex(/^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*:[A-Za-z][A-Za-z0-9_]*:[0-9]+\.[0-9]+\.[0-9]+$/, 'must be a VLNV vendor:library:name:x.y.z'),
  /** The unit's top module (what synth.ys measures). */
  top: identifier,
  /** The module placed and routed: the unit's top, or the serialising wrapper around it. */
  pnrTop: identifier,
  sources: z.array(fileName('v')).min(1, 'must list at least one source'),
  dataFiles: z.array(fileName('hex')),
  device: z.enum(DEVICE_IDS, `must be one of ${DEVICE_IDS.join(', ')}`),
  nextpnrDevice: z.enum(['hx8k', 'up5k'], 'must be hx8k or up5k'),
  package: z.string().regex(/^[a-z]+[0-9]+$/, 'must be a package name such as ct256 or sg48'),
  ioPins: positiveInt,
  dsp: z.boolean('must be true or false'),
  freqMhz: z.number('must be a number').positive('must be > 0').max(1000, 'must be at most 1000 MHz'),
  /** A PCF beside the sources, when pins are assigned; null: --pcf-allow-unconstrained. */
  pcf: fileName('pcf').nullable(),
  inWidth: z.number().int().nonnegative(),
  outWidth: z.number().int().nonnegative(),
  /** Pins the unit's own ports need: clk, rst, two valid/ready pairs, in_data and out_data. */
  corePins: positiveInt,
  wrapper: z
    .strictObject({ top: identifier, portBits: positiveInt, inBeats: positiveInt, outBeats: positiveInt, pins: positiveInt })
    .nullable(),
  /** Why place-and-route is not part of the flow (the design does not fit the package and no wrapper was asked for); null: it is. */
  pnrSkip: z.string().regex(/^[A-Za-z0-9 ,.:;()/+=_-]*$/, 'must be plain text (letters, digits, punctuation; no quotes, backticks, $ or newlines)').nullable(),
  /** The validated unit configuration, as JSON (README only). */
  configJson: z.string().refine((s) => !s.includes('`'), 'must not contain backticks'),
  /** ACEv2 of one transaction, or null when the unit declares no operator inventory. */
  acev2PerTransaction: z.number().nonnegative().nullable(),
});

export type FpgaView = z.output<typeof fpgaViewSchema>;

/** Validates a view-model; the error names the field, the value and the rule. */
export function checkView(raw: unknown): FpgaView {
  const r = fpgaViewSchema.safeParse(raw);
  if (!r.success) throw new FpgaError(`fpga view-model: ${describeZodError(r.error, raw)}`);
  return Object.freeze(r.data);
}

/** Validates a --device value. */
export function parseDevice(value: string): Device {
  if ((DEVICE_IDS as readonly string[]).includes(value)) return DEVICES[value as DeviceId];
  throw new FpgaError(`--device ${JSON.stringify(value)} is invalid: must be one of ${DEVICE_IDS.join(', ')}`);
}

/** Validates a --freq value (MHz). */
export function parseFreq(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || !(n > 0) || n > 1000) {
    throw new FpgaError(`--freq ${JSON.stringify(value)} is invalid: must be a number of MHz above 0 and at most 1000`);
  }
  return n;
}
