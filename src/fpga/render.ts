/**
 * Renders the handoff's text files from templates/fpga/ and a validated
 * view-model. Pure: the same view gives byte-identical files. Escaping is
 * off (the output is Yosys script, shell, make, YAML and Markdown, not
 * HTML); safety comes from the view-model, whose every printed value is
 * validated (viewModel.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { flowCommands, synthOptions, statFile } from './commands.ts';
import { type FpgaView, checkView } from './viewModel.ts';

const TEMPLATE_DIR = new URL('../../templates/fpga/', import.meta.url);

type Render = ReturnType<typeof Handlebars.compile>;
const compiled = new Map<string, Render>();

function template(name: string): Render {
  let t = compiled.get(name);
  if (t === undefined) {
    const text = readFileSync(fileURLToPath(new URL(name, TEMPLATE_DIR)), 'utf8');
    t = Handlebars.compile(text, { noEscape: true, strict: true });
    compiled.set(name, t);
  }
  return t;
}

export interface RenderedFile {
  readonly name: string;
  readonly text: string;
  /** Written with the executable bit. */
  readonly executable?: boolean;
}

/** The values templates print: the view plus what is derived from it (commands joined into lines). */
function context(v: FpgaView): Record<string, unknown> {
  const cmds = flowCommands(v);
  const nextpnrOptions = cmds.nextpnr === null ? [] : nextpnrCoreOptions(v);
  return {
    ...v,
    statFile: statFile(v),
    synthOptions: synthOptions(v),
    yosysCmd: cmds.yosys.join(' '),
    yosysPnrCmd: cmds.yosysPnr === null ? null : cmds.yosysPnr.join(' '),
    nextpnrCmd: cmds.nextpnr === null ? null : cmds.nextpnr.join(' '),
    nextpnrOptions,
  };
}

/** nextpnr options for FuseSoC's icestorm tool (which adds --json, --pcf and --asc itself). */
function nextpnrCoreOptions(v: FpgaView): string[] {
  return [`--${v.nextpnrDevice}`, '--package', v.package, '--freq', String(v.freqMhz), '--timing-allow-fail', ...(v.pcf === null ? ['--pcf-allow-unconstrained'] : [])];
}

/** Every rendered file of the handoff (the RTL, files.f and manifest.json come from writeDesign). */
export function renderHandoff(view: FpgaView): RenderedFile[] {
  const v = checkView(view);
  const ctx = context(v);
  const files: RenderedFile[] = [
    { name: 'synth.ys', text: template('synth.ys.hbs')(ctx) },
    { name: 'synth_generic.ys', text: template('synth_generic.ys.hbs')(ctx) },
    { name: 'run.sh', text: template('run.sh.hbs')(ctx), executable: true },
    { name: 'Makefile', text: template('Makefile.hbs')(ctx) },
    { name: `${v.unit}.core`, text: template('core.hbs')(ctx) },
    { name: 'README.md', text: template('README.md.hbs')(ctx) },
    { name: 'handoff.json', text: `${JSON.stringify(v, null, 2)}\n` },
  ];
  if (v.wrapper !== null && v.pnrSkip === null) files.push({ name: 'synth_pnr.ys', text: template('synth_pnr.ys.hbs')(ctx) });
  return files;
}
