// The Vivado project script and XDC of the accelerator's FPGA handoff: every name is a plain
// file name or identifier (never pasted raw), the clock period follows the frequency.
import { describe, expect, it } from 'vitest';
import { vivadoFiles } from '../../src/cli/accel/vivadoKit.ts';

describe('vivado kit', () => {
  it('adds sources, memory images, the XDC and the top; the period is 1000 / MHz', () => {
    const [tcl, xdc] = vivadoFiles({ top: 'pike_accel', sources: ['pike_accel.v'], memFiles: ['pike_accel_weights.hex'], freqMhz: 40, part: 'xc7a35ticsg324-1L' });
    expect(tcl!.text).toContain('add_files -norecurse $dir/pike_accel.v');
    expect(tcl!.text).toContain('set_property file_type {Memory Initialization Files} [get_files $dir/pike_accel_weights.hex]');
    expect(tcl!.text).toContain('set_property top pike_accel [current_fileset]');
    expect(xdc!.text).toContain('create_clock -name clk -period 25.000 [get_ports clk]');
  });

  it('refuses a name that is not plain', () => {
    expect(() => vivadoFiles({ top: 'a; exec rm', sources: [], memFiles: [], freqMhz: 40, part: 'x' })).toThrow(/not a plain name/);
    expect(() => vivadoFiles({ top: 'a', sources: ['$x.v'], memFiles: [], freqMhz: 40, part: 'x' })).toThrow(/not a plain name/);
  });
});
