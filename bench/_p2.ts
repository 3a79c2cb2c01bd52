import { readdirSync, readFileSync } from 'node:fs';
import { buildSimulator, startSimulator } from '../sim/index.ts';
import type { FrameResult } from '../sim/index.ts';
import { dot16x4 } from './dot16x4.ts';
const built = await buildSimulator(dot16x4.design, { log: () => {} });
const sim = await startSimulator(built);
const threads = () => Object.fromEntries(readdirSync('/proc/self/task').map((t) => { const f = readFileSync(`/proc/self/task/${t}/stat`, 'utf8'); const name = /\((.*)\)/.exec(f)![1]; const parts = f.slice(f.lastIndexOf(')') + 2).split(' '); return [`${t}:${name}`, Number(parts[11]) + Number(parts[12])]; }));
const n = 1024, depth = 32, frames = 10000;
const fixed = dot16x4.generate(n, 1, 0);
const before = threads();
const inflight: Promise<FrameResult>[] = [];
for (let k = 0; k < frames; k++) { inflight.push(sim.run({ inputs: fixed, count: n, expectOutputs: n })); if (inflight.length >= depth) await inflight.shift(); }
await Promise.all(inflight);
const after = threads();
for (const k of Object.keys(after)) { const d = after[k]! - (before[k] ?? 0); if (d > 0) console.log(k, d, 'ticks'); }
await sim.close();
