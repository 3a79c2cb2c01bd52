/**
 * Writes every built-in network as a JSON network file:
 *   npx tsx src/networks/writeBuiltins.ts <directory>
 * Each file is validated against the network schema before it is written,
 * and written atomically; the output is deterministic.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateFloatNetwork, stringifyModel, writeFileAtomic } from '../model/index.ts';
import { BUILTIN_NETWORK_NAMES, builtinNetwork, type BuiltinNetworkName } from './builtins.ts';

/** The JSON text of a built-in network, validated. */
export function builtinNetworkJson(name: BuiltinNetworkName): string {
  const net = validateFloatNetwork(builtinNetwork(name), `builtin network ${name}`);
  return stringifyModel(net);
}

/** Writes `<dir>/<name>.json` for every built-in; returns the paths. */
export function writeBuiltinNetworks(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return BUILTIN_NETWORK_NAMES.map((name) => {
    const path = join(dir, `${name}.json`);
    writeFileAtomic(path, builtinNetworkJson(name));
    return path;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: npx tsx src/networks/writeBuiltins.ts <directory>\n');
    process.exitCode = 2;
  } else {
    for (const p of writeBuiltinNetworks(dir)) process.stdout.write(`${p}\n`);
  }
}
