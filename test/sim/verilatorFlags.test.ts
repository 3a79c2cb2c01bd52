// The build options that depend on the request and the design's size, all from
// verilatorFlags (part of the cache key): untraced unless asked, large designs split and
// with Verilator's run-time library unoptimised, small ones at -O2 throughout.
import { describe, expect, it } from 'vitest';
import { LARGE_DESIGN_BYTES, verilatorFlags } from '../../sim/buildSimulator.ts';

describe('verilatorFlags', () => {
  it('adds --trace only when asked, and splits and relaxes OPT_GLOBAL only for large designs', () => {
    const small = verilatorFlags();
    expect(small).not.toContain('--trace');
    expect(small).not.toContain('--output-split');
    expect(small).toContain('OPT_FAST=-O2 OPT_GLOBAL=-O2');
    expect(verilatorFlags({ trace: true })).toContain('--trace');
    const large = verilatorFlags({ large: true });
    expect(large.slice(large.indexOf('--output-split'), large.indexOf('--output-split') + 2)).toEqual(['--output-split', '5000']);
    expect(large).toContain('OPT_FAST=-O2 OPT_GLOBAL=-O0');
    expect(large).not.toContain('--trace');
    // Every combination is a distinct flag list, so a distinct cache entry.
    const keys = [{}, { trace: true }, { large: true }, { trace: true, large: true }].map((o) => verilatorFlags(o).join(' '));
    expect(new Set(keys).size).toBe(4);
    expect(LARGE_DESIGN_BYTES).toBe(64 * 1024);
  });
});
