// The train/test split is a pure function of its seed, and the shipped
// training record names the split it used.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPLIT, makeSplit, splitDigest } from '../../src/train/dataset.ts';

describe('seeded MNIST split', () => {
  it('gives the same indices for the same seed and different ones for another seed', () => {
    const a = makeSplit(7, 100, 50);
    const b = makeSplit(7, 100, 50);
    expect(b).toEqual(a);
    expect(makeSplit(8, 100, 50).train).not.toEqual(a.train);
  });

  it('keeps train and test disjoint and has the requested sizes', () => {
    const s = makeSplit();
    expect(s.train.length).toBe(DEFAULT_SPLIT.train);
    expect(s.test.length).toBe(DEFAULT_SPLIT.test);
    const key = (r: { label: number; index: number }): string => `${r.label}:${r.index}`;
    const train = new Set(s.train.map(key));
    expect(train.size).toBe(s.train.length);
    for (const r of s.test) expect(train.has(key(r))).toBe(false);
  });

  it('matches the digests recorded when the shipped network was trained', () => {
    const record = JSON.parse(readFileSync('src/networks/trained/mnist_tiny.train.json', 'utf8')) as { split: { seed: number; sha256: { train: string; test: string } } };
    expect(record.split.seed).toBe(DEFAULT_SPLIT.seed);
    expect(splitDigest(makeSplit())).toEqual(record.split.sha256);
  });
});
