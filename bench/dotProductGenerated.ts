import { emitDesign } from '../hdl-gen/emit/index.ts';
import { dotProductGenerator } from '../hdl-gen/generators/dotProduct.ts';
import type { BenchDesign } from './benchDesign.ts';
import { seededBytes } from './seededBytes.ts';
import { dot16 } from './dot16x4.ts';

// The DSL's own dot_product generator at its default configuration: 16 lanes
// of unsigned 4-bit activations times signed 4-bit weights, exact s12
// accumulator, one register stage. Its in_data layout (activations in bytes
// 0-7, weights in bytes 8-15, two lanes per byte) is the hand-written
// fixture's, so the same pair table serves as the fast reference.
const emitted = emitDesign(dotProductGenerator.build(dotProductGenerator.defaultConfig));
const IN_BYTES = 16;
const OUT_BYTES = 2;

export const dotProductGenerated: BenchDesign = {
  design: { top: emitted.top, sources: [...emitted.sources], inWidth: emitted.inWidth, outWidth: emitted.outWidth },
  outputsPerInput: 1,
  generate: (count, seed, stream) => seededBytes(count * IN_BYTES, seed, stream * count * IN_BYTES),
  check(inputs, outputs, count) {
    let bad = 0;
    for (let t = 0, b = 0, o = 0; t < count; t++, b += IN_BYTES, o += OUT_BYTES) {
      const sum = dot16(inputs, b);
      // out_data is the s12 sum: sign-extend the 12-bit pattern.
      const raw = outputs[o]! | ((outputs[o + 1]! & 0x0f) << 8);
      const got = (raw << 20) >> 20;
      if (got !== sum) bad++;
    }
    return bad;
  },
};
