// pikehdl quantize / run, in-process (commander program) plus one real process
// for the exit code of a user error.
import { describe, expect, it, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { registerQuantize } from '../../src/cli/commands/quantize.ts';
import { registerRun } from '../../src/cli/commands/run.ts';
import { CliError } from '../../src/cli/cliError.ts';
import { parseIntNetwork } from '../../src/model/index.ts';
import { captureCli } from '../support/captureCli.ts';

const fixtures = fileURLToPath(new URL('../fixtures/models/', import.meta.url));
const floatFile = join(fixtures, 'tiny-separable.float.json');
const inputFile = join(fixtures, 'tiny-input.json');

const cli = (...args: string[]): Promise<string> => captureCli([registerQuantize, registerRun], args);

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'pikehdl-cli-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('pikehdl quantize', () => {
  it('writes a valid integer network atomically (no temp file left) and reports each layer', async () => {
    const d = tmp();
    const out = join(d, 'int.json');
    const text = await cli('quantize', '--in', floatFile, '--out', out, '--recipe', 'pikelpn');
    expect(text).toContain('8 layers, recipe pikelpn (quantNorm on, doubleQuant on, dhq on)');
    expect(parseIntNetwork(readFileSync(out, 'utf8')).layers).toHaveLength(8);
    expect(readdirSync(d)).toEqual(['int.json']);
  });

  it('ablation switches reach the file', async () => {
    const out = join(tmp(), 'int.json');
    await cli('quantize', '--in', floatFile, '--out', out, '--no-quantnorm', '--no-double-quant', '--no-dhq');
    const net = parseIntNetwork(readFileSync(out, 'utf8'));
    expect(net.recipe.techniques).toMatchObject({ quantNorm: false, doubleQuant: false, dhq: false });
    const stem = net.layers[0]!;
    expect(stem.op === 'conv2d' && stem.requant.kind === 'stages' && stem.requant.norm?.arithmetic).toBe('float');
  });

  it('refuses a bad recipe, a float32 recipe, and a file that is not a float network, naming the problem', async () => {
    const out = join(tmp(), 'int.json');
    await expect(cli('quantize', '--in', floatFile, '--out', out, '--recipe', 'int3')).rejects.toThrow(new CliError('--recipe: recipe "int3" is unknown: choose one of float32, conventional4, pikelpn, tflite8'));
    await expect(cli('quantize', '--in', floatFile, '--out', out, '--recipe', 'float32')).rejects.toThrow('is full precision');
    await expect(cli('quantize', '--in', inputFile, '--out', out)).rejects.toThrow(/tiny-input\.json: 6 problems: format: expected "pikehdl-float-network"/);
    await expect(cli('quantize', '--in', join(fixtures, 'missing.json'), '--out', out)).rejects.toThrow(/missing\.json: cannot read: ENOENT/);
  });
});

describe('pikehdl run', () => {
  it('prints the output, and with --float the error against the float network', async () => {
    const out = join(tmp(), 'int.json');
    await cli('quantize', '--in', floatFile, '--out', out);
    const text = await cli('run', '--model', out, '--input', inputFile, '--float', floatFile, '--json');
    const r = JSON.parse(text) as { output: number[]; real: number[]; float: number[]; maxAbsError: number };
    expect(r.output).toHaveLength(10);
    expect(r.float).toHaveLength(10);
    expect(r.maxAbsError).toBeGreaterThan(0);
    expect(r.maxAbsError).toBeLessThan(1); // logits span about +-1.3 here
    const plain = await cli('run', '--model', out, '--input', inputFile);
    expect(plain).toMatch(/^output \(s8, scale [\d.]+\): (-?\d+ ){9}-?\d+\n/);
  });

  it('refuses an input of the wrong length, naming the rule', async () => {
    const out = join(tmp(), 'int.json');
    await cli('quantize', '--in', floatFile, '--out', out);
    const bad = join(tmp(), 'in.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, '{"values": [1, 2, 3]}');
    await expect(cli('run', '--model', out, '--input', bad)).rejects.toThrow(`in.json: values: expected 64 numbers for the 8x8x1 input of ${out}, got 3`);
  });

  it('a user error exits with code 2 and one line on stderr (real process)', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--model', inputFile, '--input', inputFile], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^pikehdl: .*tiny-input\.json: /);
  });
});
