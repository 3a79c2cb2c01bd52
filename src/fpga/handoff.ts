/**
 * Prepares a handoff in memory (pure: the unit's design, the wrapper when the
 * package is too small, the validated view-model and the rendered files) and
 * writes it atomically: RTL through writeDesign into a temporary sibling
 * directory, the rendered files beside it, then one rename over the output.
 */
import { DslError, type Module } from '../../hdl-gen/dsl/index.ts';
import { type EmittedDesign, emitDesign } from '../../hdl-gen/emit/index.ts';
import { ConfigError, type Generator } from '../../hdl-gen/generators/index.ts';
import { serializer, serializerLayout } from '../../hdl-gen/units/serializer/index.ts';
import { writeDesignInto } from '../../hdl-gen/write/index.ts';
import { writeOutputDir, type OutputOptions } from '../output/index.ts';
import type { Device } from './devices.ts';
import { FpgaError } from './fpgaError.ts';
import { costPerTransaction } from './inventories.ts';
import { type RenderedFile, renderHandoff } from './render.ts';
import { type FpgaView, checkView } from './viewModel.ts';

export const GENERATED_BY = 'pikehdl fpga';
export const CORE_VERSION = '0.1.0';
export const PCF_NAME = 'pins.pcf';
export const WRAP_MODES = ['auto', 'always', 'never'] as const;
export type WrapMode = (typeof WRAP_MODES)[number];

export interface HandoffOptions {
  readonly device: Device;
  readonly freqMhz: number;
  /** auto: wrap only when the unit's pins exceed the package; never: skip place-and-route instead. */
  readonly wrap: WrapMode;
  readonly portBits: number;
  /** Pin constraints to copy into the handoff, or null. */
  readonly pcfText: string | null;
}

export interface PreparedHandoff {
  readonly view: FpgaView;
  /** The RTL to write: the unit's sources, plus the wrapper's when there is one. */
  readonly design: EmittedDesign;
  readonly files: readonly RenderedFile[];
}

function pinsOf(m: Module): number {
  return m.ports.reduce((n, p) => n + p.shape.width, 0);
}

/** Validates the config, builds the design(s) and renders every file; writes nothing. */
export function prepareHandoff(gen: Generator, raw: unknown, opts: HandoffOptions): PreparedHandoff {
  try {
    const config = gen.parse(raw);
    const core = gen.build(raw);
    const coreDesign = emitDesign(core);
    const corePins = pinsOf(core);
    const fits = corePins <= opts.device.ioPins;
    const wrapNeeded = opts.wrap === 'always' || (opts.wrap === 'auto' && !fits);
    let design = coreDesign;
    let wrapper: FpgaView['wrapper'] = null;
    let pnrSkip: string | null = null;
    if (wrapNeeded) {
      const layout = serializerLayout(core, opts.portBits);
      const name = `${coreDesign.top}_ser`;
      if (layout.pins > opts.device.ioPins) {
        throw new FpgaError(`--port-bits ${opts.portBits}: the wrapper needs ${layout.pins} pins but ${opts.device.id} has ${opts.device.ioPins} user I/O: use at most ${Math.floor((opts.device.ioPins - 6) / 2)}`);
      }
      const wrapped = emitDesign(serializer(core, { name, portBits: opts.portBits }));
      // The unit stays the design's identity (top, generator, config); the wrapper is one more source.
      design = { ...coreDesign, sources: wrapped.sources, files: wrapped.files };
      wrapper = { top: name, portBits: opts.portBits, inBeats: layout.inBeats, outBeats: layout.outBeats, pins: layout.pins };
    } else if (!fits) {
      pnrSkip =
        `the unit needs ${corePins} pins (in_data ${coreDesign.inWidth}, out_data ${coreDesign.outWidth}, clock, reset and handshakes) ` +
        `but ${opts.device.id} has ${opts.device.ioPins} user I/O; rerun with --wrap auto to place it behind a serialising wrapper.`;
    }
    const view = checkView({
      generatedBy: GENERATED_BY,
      unit: gen.name,
      coreVlnv: `pikehdl:units:${gen.name}:${CORE_VERSION}`,
      top: coreDesign.top,
      pnrTop: wrapper?.top ?? coreDesign.top,
      sources: design.sources.map((s) => s.name),
      dataFiles: design.files.map((f) => f.name),
      device: opts.device.id,
      nextpnrDevice: opts.device.nextpnrDevice,
      package: opts.device.package,
      ioPins: opts.device.ioPins,
      dsp: opts.device.dsp,
      freqMhz: opts.freqMhz,
      pcf: opts.pcfText === null ? null : PCF_NAME,
      inWidth: coreDesign.inWidth,
      outWidth: coreDesign.outWidth,
      corePins,
      wrapper,
      pnrSkip,
      configJson: JSON.stringify(config, null, 2),
      acev2PerTransaction: costPerTransaction(gen, raw)?.acev2 ?? null,
    });
    const files = renderHandoff(view);
    return { view, design, files: opts.pcfText === null ? files : [...files, { name: PCF_NAME, text: opts.pcfText }] };
  } catch (e) {
    if (e instanceof ConfigError || e instanceof DslError) throw new FpgaError(e.message);
    throw e;
  }
}

/** Writes the handoff into `outDir`, replacing it all at once. Returns the absolute directory. */
export async function writeHandoff(h: PreparedHandoff, outDir: string, opts: OutputOptions = {}): Promise<string> {
  // By the output rules (src/output): the RTL, files.f and manifest.json, then the flow files beside them.
  return writeOutputDir(outDir, (w) => {
    writeDesignInto(h.design, w);
    for (const f of h.files) w.file(f.name, f.text, { executable: f.executable === true });
  }, opts);
}
