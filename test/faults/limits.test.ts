// Regression tests for issue 8, findings 2-4: requests above the documented
// limits are refused before allocating (naming the file, the figure and the
// limit), values the hardware or the reference cannot hold are refused by
// path instead of wrapping, pruned channels quantize, deep JSON and
// non-regular input files are refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIntNetwork } from '../../src/model/index.ts';
import { cli, contractBreach } from './cliHarness.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = fileURLToPath(new URL('../fixtures/models/', import.meta.url));
const tinyFloat = JSON.parse(readFileSync(path.join(fixtures, 'tiny-separable.float.json'), 'utf8')) as { layers: Record<string, unknown>[]; input: Record<string, unknown> };
const tinyInput = path.join(fixtures, 'tiny-input.json');
const file = (name: string, value: unknown): string => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};

describe('resource limits, computed before allocating', () => {
  it('a 4096x4096 network is refused with the figure and the limit (quantize and run)', async () => {
    const big = file('big.float.json', {
      format: 'pikehdl-float-network', version: 1, name: 'big', input: { height: 4096, width: 4096, channels: 3 },
      layers: [{ op: 'conv2d', name: 'c', outChannels: 1, kernel: 1, weights: [0.1, 0.2, 0.3], bias: [0] }],
    });
    const r = await cli('quantize', '--in', big, '--out', path.join(dir, 'big.int.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pikehdl: ${big}: quantizing it (calibration runs the float network) needs 67,108,864 activation elements (536,870,912 bytes); the limit is 33,554,432 elements (limits: docs/limits.md)\n`);
  });

  it('cosim --transactions at its maximum is refused with the figure, before generating stimulus', async () => {
    const r = await cli('cosim', '--unit', 'requantizer', '--transactions', '10000000');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pikehdl: --transactions 10000000: unit requantizer would hold [\d,]+ stimulus and expected values \(\d+ per transaction\); the limit is 4,194,304 \(at most [\d,]+ transactions here; docs\/limits\.md\)\n$/);
  });

  it('deeply nested JSON is refused by depth, not by a stack overflow', async () => {
    const deep = file('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    for (const args of [['quantize', '--in', deep, '--out', path.join(dir, 'o.json')], ['gen', '--unit', 'fifo', '--config', deep, '--out', path.join(dir, 'g')], ['report', '--model', 'mnist_tiny', '--cost-table', deep]]) {
      const r = await cli(...args);
      expect(contractBreach(r, deep)).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('JSON nested 100,000 levels deep; the limit is 64');
    }
  });

  it('a device or a folder as an input file is refused, not read forever', async () => {
    for (const p of ['/dev/zero', dir]) {
      const r = await cli('quantize', '--in', p, '--out', path.join(dir, 'o.json'));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(p === dir ? /cannot read: is a folder, not a file/ : /cannot read: not a regular file/);
    }
  });
});

describe('values the hardware or the reference cannot hold', () => {
  const intNet = path.join(dir, 'tiny.int.json');

  it('input integers beyond the input tensor (and int32) are refused by path, not wrapped', async () => {
    expect((await cli('quantize', '--in', path.join(fixtures, 'tiny-separable.float.json'), '--out', intNet)).code).toBe(0);
    const spec = parseIntNetwork(readFileSync(intNet, 'utf8')).input.tensor;
    const ints = Array.from({ length: 64 }, () => 0);
    ints[5] = 2 ** 32 + 1; // wraps to 1 as int32
    const bad = file('wrap.json', { integers: ints });
    const r = await cli('run', '--model', intNet, '--input', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pikehdl: ${bad}: integers[5]: 4294967297 is outside the input tensor's ${spec.signed ? 's' : 'u'}${spec.bits} range [${spec.signed ? -(2 ** (spec.bits - 1)) : 0}, ${spec.signed ? 2 ** (spec.bits - 1) - 1 : 2 ** spec.bits - 1}]\n`);
  });

  it('integer-file parameters outside their declared widths are refused by JSON path', async () => {
    const net = JSON.parse(readFileSync(intNet, 'utf8')) as { input: { tensor: { bits: number; signed: boolean } }; layers: Record<string, unknown>[] };
    const add = net.layers.find((l) => l.op === 'add') as { align: { arithmetic: string; multipliers: number[]; scaleBits: number } };
    expect(add.align.arithmetic).toBe('integer');
    add.align.multipliers[0] = 2 ** add.align.scaleBits;
    const p = file('align.int.json', net);
    const r = await cli('run', '--model', p, '--input', tinyInput);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`layers\\[5\\]\\.align\\.multipliers\\[0\\]: multiplier ${2 ** add.align.scaleBits} does not fit u${add.align.scaleBits}`));
    const wide = JSON.parse(readFileSync(intNet, 'utf8')) as typeof net;
    wide.input.tensor = { ...wide.input.tensor, bits: 32, signed: false };
    const w = await cli('run', '--model', file('u32.int.json', wide), '--input', tinyInput);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/input\.tensor\.bits: u32 is too wide: a tensor must fit int32/);
  });

  it('extreme finite values (1e308) are refused by path, naming the rule, not an internal function', async () => {
    const net = structuredClone(tinyFloat);
    (net.layers[0]!.weights as number[])[0] = 1e308;
    const p = file('huge.float.json', net);
    const r = await cli('quantize', '--in', p, '--out', path.join(dir, 'o.json'));
    expect(r.stderr).toBe(`pikehdl: ${p}: layers[0].weights[0]: 1e+308 is outside the float parameter range [-1e9, 1e9] (docs/limits.md)\n`);
    expect(r.code).toBe(2);
  });
});

describe('pruned channels', () => {
  it('a float network with an all-zero output channel quantizes under every recipe, and that channel is exactly 0', async () => {
    const net = structuredClone(tinyFloat);
    const fc = net.layers[7]! as { weights: number[]; bias: number[] };
    for (let i = 0; i < 8; i++) fc.weights[3 * 8 + i] = 0;
    fc.bias[3] = 0;
    const pw1 = net.layers[2]! as { weights: number[] };
    for (let i = 0; i < 4; i++) pw1.weights[i] = 0;
    const p = file('pruned.float.json', net);
    for (const recipe of ['pikelpn', 'conventional4', 'tflite8']) {
      const out = path.join(dir, `pruned.${recipe}.int.json`);
      const q = await cli('quantize', '--in', p, '--out', out, '--recipe', recipe);
      expect(q.stderr).toBe('');
      expect(q.code).toBe(0);
      const r = await cli('run', '--model', out, '--input', tinyInput, '--float', p, '--json');
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as { output: number[]; float: number[] };
      expect(report.float[3]).toBe(0);
      expect(report.output[3]).toBe(0);
      expect(report.output).toHaveLength(10);
    }
  });
});

describe('channels pruned through batch norm (gamma 0)', () => {
  it('quantize under every recipe; TFLite folds them as zero weights plus the folded bias', async () => {
    const net = structuredClone(tinyFloat);
    ((net.layers[2]! as { batchNorm: { gamma: number[] } }).batchNorm.gamma)[0] = 0;
    const p = file('gamma0.float.json', net);
    for (const recipe of ['pikelpn', 'conventional4', 'tflite8']) {
      const out = path.join(dir, `gamma0.${recipe}.int.json`);
      const q = await cli('quantize', '--in', p, '--out', out, '--recipe', recipe);
      expect(q.stderr).toBe('');
      expect(q.code).toBe(0);
      const r = await cli('run', '--model', out, '--input', tinyInput, '--float', p, '--json');
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as { maxAbsErrorLsb: number };
      // The same order of error as the unpruned network (1.7 LSB for tflite8, ~20 for the 4-bit recipes).
      expect(report.maxAbsErrorLsb).toBeLessThan(recipe === 'tflite8' ? 4 : 40);
      if (recipe === 'tflite8') {
        const pw1 = parseIntNetwork(readFileSync(out, 'utf8')).layers[2]! as { weights: number[] };
        expect(pw1.weights.slice(0, 4)).toEqual([0, 0, 0, 0]);
      }
    }
  });
});

describe('unit configurations', () => {
  it('a configuration whose derived widths pass the DSL limit is exit 2 naming the file, not an internal error', async () => {
    // Found by the mutation fuzz: avg_pool packs every channel into one bus (64 x 6 bits).
    const cfg = file('avg_pool.json', { channels: 64, inputBits: 4, width: 8, height: 8, kernel: 2 });
    const r = await cli('gen', '--unit', 'avg_pool', '--config', cfg, '--out', path.join(dir, 'ap'));
    expect(contractBreach(r, cfg)).toBeNull();
    expect(r.stderr).toMatch(/unit avg_pool: this configuration needs a signal wider than the DSL allows \(width 384 is invalid/);
  });
});
