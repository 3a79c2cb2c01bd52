import { buildSimulator, startSimulator } from '../sim/index.ts';
import type { FrameResult } from '../sim/index.ts';
import { dot16x4 } from './dot16x4.ts';
import { seededBytes } from './seededBytes.ts';
const built = await buildSimulator(dot16x4.design, { log: () => {} });
const sim = await startSimulator(built);
const now = () => Number(process.hrtime.bigint());
const n = 1024, depth = 32, frames = 8000;
const pool = seededBytes(1 << 22, 5, 0);
const ring = Array.from({ length: depth + 2 }, () => new Uint8Array(n * 16));
let chunk: Buffer = Buffer.alloc(0); let chunkOff = 0;
const gens: Record<string, (k: number) => Uint8Array> = {
  aesPerFrame: (k) => dot16x4.generate(n, 1, k),
  aesChunked: (k) => { if (chunkOff >= chunk.length) { chunk = seededBytes(1 << 20, 1, k); chunkOff = 0; } const s = chunk.subarray(chunkOff, chunkOff + n * 16); chunkOff += n * 16; return s; },
  poolRing: (k) => { const b = ring[k % ring.length]!; const off = ((k * 7919) % ((pool.length - n * 16) >> 4)) << 4; b.set(pool.subarray(off, off + n * 16)); return b; },
};
for (const name of ['aesPerFrame', 'aesChunked', 'poolRing', 'aesPerFrame', 'aesChunked', 'poolRing']) {
  const gen = gens[name]!;
  let simNs = 0, bad = 0;
  const inflight: { inputs: Uint8Array; result: Promise<FrameResult> }[] = [];
  const settle = async () => { const f = inflight.shift()!; const r = await f.result; simNs += r.simNs; bad += dot16x4.check(f.inputs, r.outputs, n); };
  const c0 = process.cpuUsage(); const t0 = now();
  for (let k = 0; k < frames; k++) {
    const inputs = gen(k);
    inflight.push({ inputs, result: sim.run({ inputs, count: n, expectOutputs: n }) });
    if (inflight.length >= depth) await settle();
  }
  while (inflight.length) await settle();
  const wall = now() - t0; const c = process.cpuUsage(c0);
  const us = (x: number) => (x / frames / 1000).toFixed(1);
  console.log(`${name.padEnd(12)} ${(n * frames / wall * 1e3).toFixed(2)} Mtx/s; per frame us: wall ${us(wall)} node user ${us(c.user * 1000)} sys ${us(c.system * 1000)} harness ${us(simNs)} bad ${bad}`);
}
await sim.close();
