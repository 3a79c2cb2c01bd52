// Executes every `expression // expected` line of the ts blocks in
// docs/semantics.md against the real modules, so the spec's examples cannot
// drift from the code. Fails if the page has no such lines.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as arith from '../../src/arith/index.ts';
import * as ref from '../../src/ref/index.ts';
import * as model from '../../src/model/index.ts';

const doc = readFileSync(new URL('../../docs/semantics.md', import.meta.url), 'utf8');
const scope: Record<string, unknown> = { ...arith, ...ref, ...model };
const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
const evaluate = (expr: string): unknown => new Function(...names, `return (${expr});`)(...names.map((n) => scope[n]));

const examples: { line: number; expr: string; expected: string }[] = [];
let inTs = false;
doc.split('\n').forEach((text, i) => {
  if (/^```ts\s*$/.test(text)) inTs = true;
  else if (/^```\s*$/.test(text)) inTs = false;
  else if (inTs) {
    const m = /^(.*\S)\s+\/\/\s+(.+)$/.exec(text);
    if (m) examples.push({ line: i + 1, expr: m[1]!, expected: m[2]! });
  }
});

describe('docs/semantics.md examples', () => {
  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThan(50);
  });
  for (const ex of examples) {
    it(`line ${ex.line}: ${ex.expr} // ${ex.expected}`, () => {
      expect(evaluate(ex.expr)).toEqual(evaluate(ex.expected));
    });
  }
});
