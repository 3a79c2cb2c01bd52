// Shared helpers for the co-simulation tests: fixtures, seeded stimulus, BigInt references.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bytesPerTransaction, writeValue } from '../../sim/index.ts';
import type { SimDesign } from '../../sim/index.ts';

const FIXTURES = new URL('../fixtures/sim/', import.meta.url);

export function fixtureText(name: string): string {
  return readFileSync(fileURLToPath(new URL(name, FIXTURES)), 'utf8');
}

export function fixtureDesign(top: string, inWidth: number, outWidth: number): SimDesign {
  return { top, sources: [{ name: `${top}.v`, text: fixtureText(`${top}.v`) }], inWidth, outWidth };
}

/** width_probe instantiated at width W through a small generated wrapper. */
export function widthProbeDesign(w: number): SimDesign {
  const top = `width_probe_w${w}`;
  const wrapper = `// Test wrapper: width_probe at W = ${w}.
module ${top} (
    input  wire         clk,
    input  wire         rst,
    input  wire         in_valid,
    output wire         in_ready,
    input  wire [${w - 1}:0] in_data,
    output wire         out_valid,
    input  wire         out_ready,
    output wire [${w - 1}:0] out_data
);
  width_probe #(.W(${w})) u_probe (
      .clk(clk), .rst(rst), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
      .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data)
  );
endmodule
`;
  return {
    top,
    sources: [
      { name: 'width_probe.v', text: fixtureText('width_probe.v') },
      { name: `${top}.v`, text: wrapper },
    ],
    inWidth: w,
    outWidth: w,
  };
}

/** splitmix64-style seeded generator of bigints of a given width (the one sim/units draws from). */
export { seededBits as seededValues } from '../../sim/units/rng.ts';

/** Packs values, filling the padding bits above the width with garbage to prove they are ignored. */
export function packWithDirtyPadding(values: readonly bigint[], widthBits: number): Uint8Array {
  const n = bytesPerTransaction(widthBits);
  const out = new Uint8Array(values.length * n);
  values.forEach((v, i) => {
    writeValue(out, i, widthBits, v);
    if (widthBits % 8 !== 0) out[i * n + n - 1]! |= 0xff << widthBits % 8 & 0xff;
  });
  return out;
}

export const mask = (w: number): bigint => (1n << BigInt(w)) - 1n;

/** Reference for adder_skid1/adder_skid2: the sum of the two input bytes. */
export const adderRef = (x: bigint): bigint => (x & 0xffn) + ((x >> 8n) & 0xffn);

/** Reference for width_probe: ~x ^ (x >> 1) over W bits. */
export const widthProbeRef = (x: bigint, w: number): bigint => (~x ^ (x >> 1n)) & mask(w);

/** Reference for wide_mix: in[129:0] + in[259:130] + in[299:260] mod 2^130. */
export const wideMixRef = (x: bigint): bigint =>
  ((x & mask(130)) + ((x >> 130n) & mask(130)) + ((x >> 260n) & mask(40))) & mask(130);
