// The user's chain up to the hardware's schedule, with no simulator: an ONNX file exported by
// torch (test/fixtures/onnx), imported, quantized by the pikelpn recipe, compiled for the
// accelerator at its fitted configuration, and run by the layer program's interpreter, which must
// equal runInt on every layer. The RTL side of the same chain is `cosim --model` (README).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileAccel, fitAccelConfig, runProgram } from '../../src/accel/index.ts';
import { importOnnx } from '../../src/onnx/index.ts';
import { RECIPES, compile } from '../../src/quant/index.ts';
import { runInt } from '../../src/ref/index.ts';
import { randomInput } from '../../src/verify/randomNetwork.ts';

const FIXTURES = ['separable_16.onnx', 'resnet18_maxpool_tiny.onnx'];

describe('ONNX file -> integer network -> accelerator layer program', () => {
  for (const file of FIXTURES) {
    it(`${file}: the interpreter equals runInt on every layer`, () => {
      const bytes = readFileSync(new URL(`../fixtures/onnx/${file}`, import.meta.url));
      const net = compile(importOnnx(bytes, file).float, RECIPES.pikelpn).net;
      const program = compileAccel(net, fitAccelConfig(net));
      let compared = 0;
      for (let k = 0; k < 2; k++) {
        const x = randomInput(net, 100 + k);
        const ref = runInt(net, x);
        for (const t of runProgram(program, x).layers) {
          const r = ref.outputs.get(t.name);
          if (r === undefined) throw new Error(`layer ${t.name}: runInt has no such layer`);
          const bad = r.findIndex((v, i) => v !== t.output[i]);
          if (bad >= 0) throw new Error(`${file}, layer ${t.name}: element ${bad} is ${t.output[bad]}, runInt has ${r[bad]}`);
          expect(t.output.length).toBe(r.length);
          compared += r.length;
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});
