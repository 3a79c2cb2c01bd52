// Bad identifiers, devices and values are rejected before anything is
// rendered, with an error naming the field, the value and the rule.
import { describe, expect, it } from 'vitest';
import { findGenerator } from '../../hdl-gen/generators/index.ts';
import { DEVICES, FpgaError, checkView, parseDevice, parseFreq, prepareHandoff } from '../../src/fpga/index.ts';

function goodView(): Record<string, unknown> {
  const gen = findGenerator('residual_add')!;
  return { ...prepareHandoff(gen, { lanes: 1 }, { device: DEVICES['hx8k-ct256'], freqMhz: 50, wrap: 'auto', portBits: 8, pcfText: null }).view };
}

function rejects(patch: Record<string, unknown>): string {
  try {
    checkView({ ...goodView(), ...patch });
  } catch (e) {
    expect(e).toBeInstanceOf(FpgaError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(patch)}`);
}

describe('fpga view-model validation', () => {
  it('accepts the view prepareHandoff builds', () => {
    expect(checkView(goodView()).top).toBe('residual_add');
  });

  it('rejects identifiers that are not Verilog identifiers', () => {
    expect(rejects({ top: 'a; rm -rf x' })).toBe(
      'fpga view-model: top: "a; rm -rf x" is invalid: must be a Verilog identifier: it is not an identifier: it must match /^[A-Za-z][A-Za-z0-9_]*$/ (a letter, then letters, digits or _)',
    );
    expect(rejects({ pnrTop: 'module' })).toMatch(/^fpga view-model: pnrTop: "module" is invalid: must be a Verilog identifier: it is a Verilog/);
    expect(rejects({ sources: ['../x.v'] })).toMatch(/^fpga view-model: sources\[0\]: "\.\.\/x\.v" is invalid: must be a plain file name matching/);
  });

  it('rejects unknown devices and mismatched device fields', () => {
    expect(rejects({ device: 'ecp5-85k' })).toBe('fpga view-model: device: "ecp5-85k" is invalid: must be one of hx8k-ct256, up5k-sg48');
    expect(rejects({ package: 'ct256; echo' })).toMatch(/^fpga view-model: package: "ct256; echo" is invalid: must be a package name/);
    expect(() => parseDevice('hx1k')).toThrow('--device "hx1k" is invalid: must be one of hx8k-ct256, up5k-sg48');
  });

  it('rejects text that could break out of a script and bad numbers', () => {
    expect(rejects({ pnrSkip: 'no "$(reboot)"' })).toMatch(/^fpga view-model: pnrSkip: .* is invalid: must be plain text/);
    expect(rejects({ freqMhz: -5 })).toBe('fpga view-model: freqMhz: -5 is invalid: must be > 0');
    expect(rejects({ extra: 1 })).toMatch(/unknown field "extra"/);
    expect(() => parseFreq('50MHz')).toThrow('--freq "50MHz" is invalid: must be a number of MHz above 0 and at most 1000');
  });

  it('reports a bad unit config with the unit, field, value and rule', () => {
    const gen = findGenerator('residual_add')!;
    expect(() => prepareHandoff(gen, { lanes: 0 }, { device: DEVICES['hx8k-ct256'], freqMhz: 50, wrap: 'auto', portBits: 8, pcfText: null })).toThrow(
      /^unit residual_add: config field lanes = 0 is invalid/,
    );
  });
});
