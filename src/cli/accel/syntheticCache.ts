/**
 * The compiled integer network of a synthetic built-in (seeded weights, pikelpn), cached under
 * <build>/models/: a 224x224 network takes 40-90 s to synthesize and compile, and every cosim,
 * report --accel and bench run would redo it. The key is the model name, the seed and a SHA-256 of
 * every source file that produces the network (src/arith, model, quant, ref, networks), so a code
 * change recompiles; a cached file that does not parse as an integer network is recompiled too.
 * Written atomically, so a killed run leaves no half file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type IntNetwork, ModelError, validateIntNetwork, writeFileAtomic } from '../../model/index.ts';
import { buildRoot } from '../../../sim/paths.ts';

const SRC = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIRS = ['arith', 'model', 'quant', 'ref', 'networks'] as const;

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.isFile() && e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

let sourcesHash: string | undefined;
/** SHA-256 over the relative path and text of every source file the synthetic compile runs. */
function sourceHash(): string {
  if (sourcesHash !== undefined) return sourcesHash;
  const h = createHash('sha256');
  for (const d of SOURCE_DIRS) {
    for (const f of tsFiles(path.join(SRC, d)).sort()) {
      h.update(path.relative(SRC, f));
      h.update('\0');
      h.update(readFileSync(f));
      h.update('\0');
    }
  }
  sourcesHash = h.digest('hex');
  return sourcesHash;
}

/** The cache file of a synthetic model (names are validated built-in names; the pattern keeps the path plain anyway). */
export function syntheticCacheFile(name: string, seed: number): string {
  const key = createHash('sha256').update(`${name}\0${seed}\0pikelpn\0${sourceHash()}`).digest('hex').slice(0, 16);
  return path.join(buildRoot(), 'models', `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}-s${seed}-${key}.int.json`);
}

/** The cached integer network, or `compileNet()`'s, written to the cache. */
export function cachedSyntheticInt(name: string, seed: number, compileNet: () => IntNetwork): { net: IntNetwork; cached: boolean } {
  const file = syntheticCacheFile(name, seed);
  if (existsSync(file)) {
    try {
      // Our own file: schema-validated, but without the size limits that guard user input
      // (ResNet-18's 11.7M weights exceed the 8M-value limit of parseIntNetwork).
      return { net: validateIntNetwork(JSON.parse(readFileSync(file, 'utf8')) as unknown, file), cached: true };
    } catch (e) {
      if (!(e instanceof ModelError) && !(e instanceof SyntaxError)) throw e;
      // Damaged or from an incompatible schema: compile again and overwrite.
    }
  }
  const net = compileNet();
  // Plain JSON.stringify: nobody reads the cache, so stringifyModel's one-line arrays would only add
  // bytes. A cache that cannot be written (a full disk,
  // a read-only build folder) costs only the next compile, so it does not fail the command.
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, `${JSON.stringify(net)}\n`);
  } catch {
    /* no cache this time */
  }
  return { net, cached: false };
}
