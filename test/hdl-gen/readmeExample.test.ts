// The example in hdl-gen/README.md must build, emit and compute what its
// comments say: the doc's code is executed here (extracted from the file).
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { roundShift } from '../../src/arith/index.ts';
import * as dsl from '../../hdl-gen/dsl/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import * as lib from '../../hdl-gen/lib/index.ts';

function readmeExample(): string {
  const text = readFileSync(new URL('../../hdl-gen/README.md', import.meta.url), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(text);
  if (!block) throw new Error('hdl-gen/README.md has no ts example');
  return block[1]!;
}

describe('hdl-gen/README.md example', () => {
  it('builds, emits, and matches its comments', () => {
    // Strip the imports and the export keyword, transpile the types away, and
    // run the function with the real modules.
    const source = readmeExample().replace(/^import .*$/gm, '').replace('export function', 'function');
    const body = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
    const make = new Function('dsl', 'lib', `const { Module, signed, unsigned } = dsl; const { registerStage } = lib; ${body}; return scaleAndClip;`) as (
      d: typeof dsl,
      l: typeof lib,
    ) => (name: string) => dsl.Module;
    const m = make(dsl, lib)('scale_and_clip');
    const d = emitDesign(m);
    expect([d.inWidth, d.outWidth]).toEqual([12, 4]);
    expect(d.sources[0]!.text).toContain('module scale_and_clip (');
    // The claimed shapes along the chain.
    const x = new dsl.Module('probe').input('x', dsl.signed(12));
    expect(dsl.shapeName(x.mul(3).shape)).toBe('s14');
    expect(dsl.shapeName(x.mul(3).roundShift(4, 'rne').shape)).toBe('s11');
    expect(dsl.shapeName(x.mul(3).roundShift(4, 'rne').relu().shape)).toBe('u10');
    const y = x.mul(3).roundShift(4, 'rne').relu().saturate(dsl.unsigned(4));
    for (const v of [-2048n, -1n, 0n, 5n, 8n, 40n, 2047n]) {
      const want = roundShift(v * 3n, 4, 'rne');
      const clipped = want < 0n ? 0n : want > 15n ? 15n : want;
      expect(dsl.evaluate(y, new Map([['x', v]]))).toBe(clipped);
    }
  });
});
