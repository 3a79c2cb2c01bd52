import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR } from './paths.ts';

type Render = ReturnType<typeof Handlebars.compile>;
const compiled = new Map<string, { text: string; render: Render }>();

/**
 * Renders a Handlebars template under templates/. The output is C++ or
 * Verilog, not HTML, so escaping is off: callers pass only validated
 * identifiers and numbers.
 */
export function renderTemplate(
  relPath: string,
  view: Readonly<Record<string, string | number>>,
): { text: string; templateText: string } {
  let entry = compiled.get(relPath);
  if (!entry) {
    const text = readFileSync(path.join(TEMPLATES_DIR, relPath), 'utf8');
    entry = { text, render: Handlebars.compile(text, { noEscape: true, strict: true }) };
    compiled.set(relPath, entry);
  }
  return { text: entry.render(view), templateText: entry.text };
}
