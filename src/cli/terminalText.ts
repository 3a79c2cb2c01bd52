/**
 * Text from users' files (network names, cost-table names, paths) can hold
 * control characters: ESC sequences that rewrite the terminal, or bidi marks
 * that reorder what is shown. Everything the CLI prints passes through
 * escapeControls, which keeps tab and newline and shows every other C0/C1
 * control, DEL and bidi formatting mark as a visible \uXXXX escape (also a
 * valid JSON escape, so JSON output stays parseable and means the same).
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line: escapeControls, and newlines too. */
export function oneLine(text: string): string {
  return escapeControls(text.replace(/\s*\n\s*/g, '; '));
}

export function hasControls(text: string): boolean {
  CONTROLS.lastIndex = 0;
  return CONTROLS.test(text);
}
