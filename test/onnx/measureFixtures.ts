// Prints, for each committed float fixture, the worst |runFloat - ORT| / max|ORT|
// over 20 seeded inputs (the numbers quoted in docs/onnx.md):
//   npx tsx test/onnx/measureFixtures.ts
import { readFileSync } from 'node:fs';
import { importOnnx } from '../../src/onnx/index.ts';
import { compareWithOrt, ortSession, randomInput } from './ort.ts';

const files = ['mobilenet_v2_w025_32', 'resnet18_narrow_32', 'separable_16', 'separable_16_opset9', 'separable_16_opset11', 'heads_6'];
for (const f of files) {
  const bytes = readFileSync(new URL(`../fixtures/onnx/${f}.onnx`, import.meta.url));
  const net = importOnnx(bytes, f).float;
  const s = await ortSession(bytes);
  const n = net.input.channels * net.input.height * net.input.width;
  let worst = 0;
  let compared = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const r = await compareWithOrt(net, s, randomInput(n, seed * 7919));
    worst = Math.max(worst, r.relError);
    compared += r.compared;
  }
  process.stdout.write(`${f.padEnd(24)} ${String(net.layers.length).padStart(3)} layers  ${String(compared).padStart(4)} outputs  worst relative error ${worst.toExponential(2)}\n`);
}
