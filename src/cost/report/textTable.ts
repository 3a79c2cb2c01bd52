/**
 * A report table as data, and its two renderings: plain text that is also a
 * Markdown pipe table (reads in a terminal, pastes into docs/acev2.md), and
 * HTML.
 */
export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

export interface Table {
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly string[])[];
}

export function textTable(t: Table): string {
  const { columns, rows } = t;
  const widths = columns.map((c, i) => Math.max(c.header.length, 3, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (s: string, i: number): string => (columns[i]!.align === 'right' ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${columns.map((c, i) => (c.align === 'right' ? `${'-'.repeat(widths[i]! + 1)}:` : `:${'-'.repeat(widths[i]! + 1)}`)).join('|')}|`;
  return [line(columns.map((c) => c.header)), rule, ...rows.map((r) => line(columns.map((_, i) => r[i] ?? '')))].join('\n');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function htmlTable(t: Table): string {
  const align = (c: Column): string => (c.align === 'right' ? ' class="num"' : '');
  const head = t.columns.map((c) => `<th${align(c)}>${escapeHtml(c.header)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${t.columns.map((c, i) => `<td${align(c)}>${escapeHtml(r[i] ?? '')}</td>`).join('')}</tr>`).join('\n');
  return `<h2>${escapeHtml(t.title)}</h2>\n<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
