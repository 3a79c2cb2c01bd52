// The dense layout of activation words in a spill build's acts region (src/accel/actPacking.ts):
// the one object the compiler, the traffic model, the harness's checker and the RTL gearboxes use.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { actPacking, axiMemoryMap, compileAxi, parseAccelConfig } from '../../src/accel/index.ts';
import { resolveSynthetic } from '../../src/cli/accel/resolveModel.ts';
import { AXI_SPILL_CONFIG } from './axiSpillConfig.ts';

const MOBILENET_BUS = parseAccelConfig({ ...AXI_SPILL_CONFIG, lanes: 16, axiDataBits: 128 });

describe('actPacking', () => {
  it('packs 16 x 9-bit words 18 bytes apart on a 128-bit bus (not two beats), 8 x 9-bit words 9 bytes apart on a 64-bit bus', () => {
    expect(actPacking(MOBILENET_BUS)).toMatchObject({ wordBits: 144, stride: 18, dataBytes: 16, dense: true });
    expect(actPacking(AXI_SPILL_CONFIG)).toMatchObject({ wordBits: 72, stride: 9, dataBytes: 8, dense: true });
    // A word narrower than a beat keeps whole beats (the read gearbox emits at most one word per beat).
    expect(actPacking(parseAccelConfig({ ...AXI_SPILL_CONFIG, axiDataBits: 128 }))).toMatchObject({ stride: 16, dense: false });
    // A word whose bits are not a whole number of bytes is padded to bytes, not beats: 16 x 5 bits = 10 bytes on 64 bits.
    expect(actPacking(parseAccelConfig({ ...AXI_SPILL_CONFIG, lanes: 16, actBits: 5 }))).toMatchObject({ wordBits: 80, stride: 10, dense: true });
    // 12 x 9 bits = 108 bits: padded to 14 bytes (its top 4 bits zero), not to two beats.
    expect(actPacking(parseAccelConfig({ ...AXI_SPILL_CONFIG, lanes: 12 }))).toMatchObject({ wordBits: 108, stride: 14, dense: true });
  });

  it('span: the beats holding words [w0, w0 + n), from the beat of the first byte (skip bytes into it) to the beat of the last', () => {
    const pk = actPacking(MOBILENET_BUS);
    expect(pk.span(0, 1)).toEqual({ offset: 0, skip: 0, beats: 2 });
    expect(pk.span(1, 1)).toEqual({ offset: 16, skip: 2, beats: 2 });
    expect(pk.span(8, 1)).toEqual({ offset: 144, skip: 0, beats: 2 });
    expect(pk.span(3, 1)).toEqual({ offset: 48, skip: 6, beats: 2 });
    expect(pk.span(7, 1)).toEqual({ offset: 112, skip: 14, beats: 2 });
    expect(pk.span(0, 8)).toEqual({ offset: 0, skip: 0, beats: 9 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 3000 }), (w0, n) => {
      const { offset, skip, beats } = pk.span(w0, n);
      expect(offset % 16).toBe(0);
      expect(offset + skip).toBe(w0 * 18);
      expect(skip).toBeLessThan(16);
      // The beats cover the words and no whole beat more.
      expect(offset + beats * 16).toBeGreaterThanOrEqual((w0 + n) * 18);
      expect(offset + (beats - 1) * 16).toBeLessThan((w0 + n) * 18);
    }));
  });

  it('pack and unpack are inverse; a word wider than wordBits is refused', () => {
    for (const c of [MOBILENET_BUS, AXI_SPILL_CONFIG, parseAccelConfig({ ...AXI_SPILL_CONFIG, lanes: 16, actBits: 5 }), parseAccelConfig({ ...AXI_SPILL_CONFIG, lanes: 12 })]) {
      const pk = actPacking(c);
      fc.assert(fc.property(fc.array(fc.bigInt({ min: 0n, max: (1n << BigInt(pk.wordBits)) - 1n }), { maxLength: 40 }), (words) => {
        const bytes = pk.pack(words);
        expect(bytes.length).toBe(pk.regionBytes(words.length));
        expect(bytes.length % pk.dataBytes).toBe(0);
        expect(pk.unpack(bytes, words.length)).toEqual(words);
      }));
      expect(() => pk.pack([1n << BigInt(pk.wordBits)])).toThrow(/not a \d+-bit word/);
    }
  });

  it('the memory map sizes the acts region with it; band offsets into it are word * stride', () => {
    const net = resolveSynthetic('mobilenet_v1_0.25_32').net;
    const p = compileAxi(net, AXI_SPILL_CONFIG, { actWords: 384 });
    const acts = axiMemoryMap(p).regions.find((r) => r.name === 'acts')!;
    expect(acts.wordBytes).toBe(9);
    expect(acts.bytes).toBe(Math.ceil((p.spill!.actWords * 9) / 8) * 8);
    let checked = 0;
    for (const d of p.layers) {
      const band = d.band!;
      if (band.read === 'a' || band.read === 'ab') {
        expect(band.readOffset % 9).toBe(0);
        checked++;
      }
      if (band.write && !band.toOutput) expect(band.writeOffset).toBe((band.tensorWord + band.oy0 * d.ow * (d.tile?.groups ?? d.og)) * 9);
    }
    expect(checked).toBeGreaterThan(0);
  });
});
