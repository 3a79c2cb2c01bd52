import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inferShapes, parseFloatNetwork, validateFloatNetwork } from '../../src/model/index.ts';
import { BUILTIN_NETWORK_NAMES, builtinNetwork, builtinNetworkJson, writeBuiltinNetworks, mobilenetV1 } from '../../src/networks/index.ts';

const shapesOf = (name: (typeof BUILTIN_NETWORK_NAMES)[number]) => inferShapes(validateFloatNetwork(builtinNetwork(name)));
const weightsOf = (name: (typeof BUILTIN_NETWORK_NAMES)[number]): number => shapesOf(name).layers.reduce((s, l) => s + l.weightCount, 0);

// Published multiply-adds and parameter counts (the papers round them).
describe('built-in networks match their papers', () => {
  it('MobileNetV1 1.0 at 224: 569 M mult-adds, 4.2 M parameters (Howard et al. Table 8)', () => {
    const s = shapesOf('mobilenet_v1_1.0');
    expect(s.totalMacs).toBe(568_740_352);
    expect(Math.round(s.totalMacs / 1e6)).toBe(569);
    // weights without batch-norm and bias terms: 4.209 M (the paper's 4.2 M counts these)
    expect(weightsOf('mobilenet_v1_1.0') / 1e6).toBeCloseTo(4.2, 1);
  });
  it('MobileNetV1 0.5 at 224: 149 M mult-adds, 1.3 M parameters (Table 6)', () => {
    expect(Math.round(shapesOf('mobilenet_v1_0.5').totalMacs / 1e6)).toBe(149);
    expect(weightsOf('mobilenet_v1_0.5') / 1e6).toBeCloseTo(1.3, 1);
  });
  it('MobileNetV1 width scaling: MACs grow about as width^2', () => {
    const m1 = shapesOf('mobilenet_v1_1.0').totalMacs;
    expect(shapesOf('mobilenet_v1_2.0').totalMacs / m1).toBeGreaterThan(3.8);
    expect(shapesOf('mobilenet_v1_2.0').totalMacs / m1).toBeLessThan(4);
    expect(shapesOf('mobilenet_v1_1.5').totalMacs / m1).toBeCloseTo(2.21, 2);
  });
  it('MobileNetV2 1.0 at 224: 300 M mult-adds, 3.4 M parameters (Sandler et al. Table 4)', () => {
    const s = shapesOf('mobilenet_v2_1.0');
    expect(Math.round(s.totalMacs / 1e6)).toBe(301);
    expect(weightsOf('mobilenet_v2_1.0') / 1e6).toBeCloseTo(3.47, 2);
    expect(s.layers.filter((l) => l.op === 'add')).toHaveLength(10); // residual adds
  });
  it('ResNet-18 at 224: 1.8 G mult-adds, 11.7 M parameters (He et al. Table 1)', () => {
    const s = shapesOf('resnet18');
    expect(s.totalMacs / 1e9).toBeCloseTo(1.81, 2);
    expect(weightsOf('resnet18') / 1e6).toBeCloseTo(11.68, 2);
    expect(s.layers.find((l) => l.name === 'pool1')?.output).toEqual({ height: 56, width: 56, channels: 64 });
    expect(s.layers.filter((l) => l.op === 'add')).toHaveLength(8);
  });
  it('the tiny MNIST net has 2,560 weights and ends in 10 classes', () => {
    expect(weightsOf('mnist_tiny')).toBe(2560);
    expect(shapesOf('mnist_tiny').output).toEqual({ height: 1, width: 1, channels: 10 });
  });
  it('MobileNetV1 ends at 7x7x1024 before the pool', () => {
    const s = shapesOf('mobilenet_v1_1.0');
    expect(s.layers.find((l) => l.name === 'b13_pw')?.output).toEqual({ height: 7, width: 7, channels: 1024 });
  });
  it('each built-in network is named by its built-in name; other resolutions say so', () => {
    for (const name of BUILTIN_NETWORK_NAMES) expect(builtinNetwork(name).name).toBe(name);
    expect(mobilenetV1({ width: 1, resolution: 160 }).name).toBe('mobilenet_v1_1.0_160');
  });
  it('refuses a non-positive width multiplier', () => {
    expect(() => mobilenetV1({ width: 0 })).toThrow('mobilenetV1: width 0 is invalid: a width multiplier must be > 0');
  });
});

describe('writing built-ins as JSON files', () => {
  it('writes every network; the files parse back to the same network, deterministically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikehdl-nets-'));
    try {
      const paths = writeBuiltinNetworks(dir);
      expect(paths).toHaveLength(BUILTIN_NETWORK_NAMES.length);
      BUILTIN_NETWORK_NAMES.forEach((name, i) => {
        const text = readFileSync(paths[i]!, 'utf8');
        expect(text).toBe(builtinNetworkJson(name));
        expect(parseFloatNetwork(text, paths[i])).toEqual(builtinNetwork(name));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
