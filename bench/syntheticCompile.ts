// npx tsx bench/syntheticCompile.ts [name ...]: times what a cold `cosim --model <name>` spends
// before the simulator (seeded synthetic weights, then the pikelpn compile; wall and CPU
// seconds) and prints the SHA-256 of the compiled network's JSON, the text the compiled-network
// cache stores. Speed work on src/quant, src/ref and src/networks must leave the hashes
// unchanged (test/networks/compiledHashes.test.ts pins the reduced networks'). mnist_tiny is the
// trained network compiled by pikelpn. Default: the reduced networks and mnist_tiny.
import { createHash } from 'node:crypto';
import { RECIPES, compile } from '../src/quant/index.ts';
import { isSyntheticModelName, syntheticNetwork } from '../src/networks/syntheticModels.ts';
import { compileSynthetic } from '../src/cli/accel/resolveModel.ts';
import { loadTrained } from '../src/train/evaluate.ts';
import type { IntNetwork } from '../src/model/index.ts';

const names = process.argv.length > 2 ? process.argv.slice(2) : ['mobilenet_v1_0.25_32', 'mobilenet_v2_0.35_32', 'resnet18_0.125_32', 'mnist_tiny'];
const s = (us: number): string => (us / 1e6).toFixed(2);
for (const name of names) {
  if (name !== 'mnist_tiny' && !isSyntheticModelName(name)) {
    process.stderr.write(`syntheticCompile: "${name}" is not a synthetic built-in or mnist_tiny\n`);
    process.exit(2);
  }
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  const float = name === 'mnist_tiny' ? loadTrained() : syntheticNetwork(name, 1);
  const w1 = performance.now();
  const c1 = process.cpuUsage();
  // As resolveSynthetic compiles (the same function); mnist_tiny as resolveModel does.
  const net: IntNetwork = name === 'mnist_tiny' ? compile(float, RECIPES.pikelpn).net : compileSynthetic(float, 1);
  const w2 = performance.now();
  const c2 = process.cpuUsage();
  const hash = createHash('sha256').update(`${JSON.stringify(net)}\n`).digest('hex');
  process.stdout.write(
    `${name.padEnd(22)} weights ${s((w1 - w0) * 1000)} s (cpu ${s(c1.user + c1.system - c0.user - c0.system)} s)  compile ${s((w2 - w1) * 1000)} s (cpu ${s(c2.user + c2.system - c1.user - c1.system)} s)  sha256 ${hash}\n`,
  );
}
