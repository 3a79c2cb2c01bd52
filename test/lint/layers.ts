// The layering rules as a checker over source text, so the rule itself can be
// tested on a deliberately broken file (layers.test.ts) as well as run on the
// repository.
import path from 'node:path';

export interface SourceFile {
  /** Repository-relative path with forward slashes. */
  readonly path: string;
  readonly text: string;
}

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly text: string;
}

/** Folders that must not import the hardware, simulation or CLI layers. */
const PURE = ['src/arith/', 'src/ref/', 'src/model/', 'src/quant/', 'src/cost/'];
const FORBIDDEN_FROM_PURE = ['hdl-gen/', 'sim/', 'src/cli/'];
/** The units build on hdl-gen/config, never on hdl-gen/generators (whose registry imports them). */
const UNITS = 'hdl-gen/units/';
/** The product's folders: none of them imports the tests (a test helper that product code needs belongs in the product). */
const PRODUCT = ['src/', 'hdl-gen/', 'sim/'];
/** Folders with no I/O: builders and pure string generation. */
const NO_IO = ['hdl-gen/dsl/', 'hdl-gen/emit/'];
const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|readline|worker_threads|cluster|tty)$/;
const IO_GLOBALS = /\b(process\.(stdout|stderr|stdin|exit|chdir)|console\.\w+|fetch\()/;

/** Every module specifier a file imports or re-exports (static and dynamic), with its line. */
function specifiers(text: string): { spec: string; line: number }[] {
  const out: { spec: string; line: number }[] = [];
  const re = /(?:\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?|\bexport\s+(?:type\s+)?[\w*{}\s,]+\s+from\s+|\bimport\s*\()\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) out.push({ spec: m[1]!, line: text.slice(0, m.index).split('\n').length });
  return out;
}

/** Code only: comments (which may quote a rule, like this file) are blanked, line breaks kept. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/[^\n]*/g, '');
}

export function layerViolations(files: readonly SourceFile[]): Violation[] {
  const out: Violation[] = [];
  for (const f of files) {
    const text = code(f.text);
    const pure = PURE.some((p) => f.path.startsWith(p));
    const noIo = NO_IO.some((p) => f.path.startsWith(p));
    const unit = f.path.startsWith(UNITS);
    const product = PRODUCT.some((p) => f.path.startsWith(p));
    if (!pure && !noIo && !unit && !product) continue;
    for (const { spec, line } of specifiers(text)) {
      if (product && spec.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f.path), spec));
        if (target.startsWith('test/')) out.push({ file: f.path, line, rule: 'src, hdl-gen and sim must not import test/', text: spec });
      }
      if (pure && spec.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f.path), spec));
        const bad = FORBIDDEN_FROM_PURE.find((p) => target.startsWith(p));
        if (bad) out.push({ file: f.path, line, rule: `src/{arith,ref,model,quant,cost} must not import ${bad}`, text: spec });
      }
      if (unit && spec.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f.path), spec));
        if (target.startsWith('hdl-gen/generators/')) out.push({ file: f.path, line, rule: 'hdl-gen/units must not import hdl-gen/generators (one-way: generators -> units)', text: spec });
      }
      if (noIo && IO_MODULES.test(spec)) out.push({ file: f.path, line, rule: 'hdl-gen/dsl and hdl-gen/emit do no I/O', text: spec });
    }
    if (noIo) {
      text.split('\n').forEach((l, i) => {
        const m = IO_GLOBALS.exec(l);
        if (m) out.push({ file: f.path, line: i + 1, rule: 'hdl-gen/dsl and hdl-gen/emit do no I/O', text: m[0] });
      });
    }
  }
  return out;
}

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line}: ${v.rule} (${v.text})`;
}
