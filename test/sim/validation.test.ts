import { describe, expect, it } from 'vitest';
import { buildSimulator, SimError } from '../../sim/index.ts';
import { requireTool } from '../../sim/requireTool.ts';

const ok = { top: 'adder', sources: [{ name: 'adder.v', text: 'module adder; endmodule' }], inWidth: 8, outWidth: 8 };

describe('buildSimulator input validation', () => {
  it.each([
    ['top', { ...ok, top: 'x; rm -rf' }, /design\.top "x; rm -rf" must be a plain identifier/],
    ['top', { ...ok, top: '9lives' }, /design\.top "9lives" must be a plain identifier/],
    ['source name', { ...ok, sources: [{ name: '../adder.v', text: '' }] }, /design\.sources\[0\]\.name "\.\.\/adder\.v" must be a plain identifier followed by \.v/],
    ['source name', { ...ok, sources: [{ name: 'adder.cpp', text: '' }] }, /design\.sources\[0\]\.name "adder\.cpp"/],
    ['duplicate', { ...ok, sources: [ok.sources[0]!, ok.sources[0]!] }, /design\.sources\[1\]\.name "adder\.v" must be unique/],
    ['width', { ...ok, inWidth: 0 }, /design\.inWidth 0 of adder must be an integer from 1 to 65536/],
    ['width', { ...ok, outWidth: 2.5 }, /design\.outWidth 2\.5 of adder must be an integer/],
  ])('rejects a bad %s', async (_what, design, message) => {
    await expect(buildSimulator(design)).rejects.toThrow(message);
    await expect(buildSimulator(design)).rejects.toBeInstanceOf(SimError);
  });
});

describe('missing tools', () => {
  it('names the tool and the install command instead of skipping', () => {
    expect(() => requireTool('verilator', '')).toThrow(
      'pikehdl sim: verilator not found on PATH; install it with apt-get install verilator (see README)',
    );
    expect(() => requireTool('iverilog', '')).toThrow(/iverilog not found on PATH; install it with apt-get install iverilog/);
  });
});
