// One-way layers (README, STYLE): src/{arith,ref,model,quant,cost} never
// import hdl-gen, sim or src/cli; hdl-gen/dsl and hdl-gen/emit do no I/O;
// hdl-gen/units never imports hdl-gen/generators (the registry imports the units);
// nothing in src, hdl-gen or sim imports test/.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type SourceFile, formatViolation, layerViolations } from './layers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...sources(rel));
    else if (e.name.endsWith('.ts')) out.push({ path: rel, text: readFileSync(path.join(ROOT, rel), 'utf8') });
  }
  return out;
}

describe('layering', () => {
  it('holds in the repository', () => {
    const files = ['src', 'hdl-gen', 'sim'].flatMap(sources);
    expect(files.length).toBeGreaterThan(300);
    expect(layerViolations(files).map(formatViolation)).toEqual([]);
  });

  it('catches each kind of break (deliberately broken files)', () => {
    const broken: SourceFile[] = [
      { path: 'src/cost/bad.ts', text: "import { Module } from '../../hdl-gen/dsl/index.ts';\n" },
      { path: 'src/ref/bad.ts', text: "import type { SimFrame } from '../../sim/types.ts';\n" },
      { path: 'src/quant/bad.ts', text: "export { main } from '../cli/main.ts';\n" },
      { path: 'src/model/bad.ts', text: "const m = await import('../../sim/index.ts');\n" },
      { path: 'hdl-gen/emit/bad.ts', text: "import { writeFileSync } from 'node:fs';\n" },
      { path: 'hdl-gen/dsl/bad.ts', text: "export function f(): void {\n  console.log('x');\n}\n" },
      { path: 'hdl-gen/units/bad/index.ts', text: "import { defineGenerator } from '../../generators/defineGenerator.ts';\n" },
      { path: 'src/verify/bad.ts', text: "import { buildNetwork } from '../../test/accel/randomNetwork.ts';\n" },
      // Allowed: a comment naming a forbidden module, and the cost layer importing src/arith.
      { path: 'src/cost/ok.ts', text: "// import '../../sim/index.ts' would be wrong\nimport { signed } from '../arith/index.ts';\n" },
    ];
    expect(layerViolations(broken).map(formatViolation)).toEqual([
      'src/cost/bad.ts:1: src/{arith,ref,model,quant,cost} must not import hdl-gen/ (../../hdl-gen/dsl/index.ts)',
      'src/ref/bad.ts:1: src/{arith,ref,model,quant,cost} must not import sim/ (../../sim/types.ts)',
      'src/quant/bad.ts:1: src/{arith,ref,model,quant,cost} must not import src/cli/ (../cli/main.ts)',
      'src/model/bad.ts:1: src/{arith,ref,model,quant,cost} must not import sim/ (../../sim/index.ts)',
      'hdl-gen/emit/bad.ts:1: hdl-gen/dsl and hdl-gen/emit do no I/O (node:fs)',
      'hdl-gen/dsl/bad.ts:2: hdl-gen/dsl and hdl-gen/emit do no I/O (console.log)',
      'hdl-gen/units/bad/index.ts:1: hdl-gen/units must not import hdl-gen/generators (one-way: generators -> units) (../../generators/defineGenerator.ts)',
      'src/verify/bad.ts:1: src, hdl-gen and sim must not import test/ (../../test/accel/randomNetwork.ts)',
    ]);
  });
});
