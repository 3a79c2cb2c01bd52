/**
 * Turn schema issues into one line each: `layers[3].weights: expected 288
 * numbers for conv2d 3x3x4->8, got 287`. The path is written as a JS/JSON
 * accessor so it can be pasted into `jq` or a debugger.
 */
import type { z } from 'zod';

export class ModelError extends Error {
  readonly issues: readonly string[];
  constructor(what: string, issues: readonly string[]) {
    super(`${what}: ${issues.length === 1 ? issues[0]! : `${issues.length} problems:\n  ${issues.join('\n  ')}`}`);
    this.name = 'ModelError';
    this.issues = issues;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(top level)' : out;
}

function issueLine(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `${formatPath(issue.path)}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove or fix the spelling`;
  }
  // zod reports a missing key as an invalid type whose input is undefined;
  // schemaParts' messages say "got nothing", zod's own say "received undefined".
  if (issue.code === 'invalid_type' && (issue.message.endsWith('got nothing') || issue.message.endsWith('received undefined'))) {
    return `${formatPath(issue.path)}: missing (required)`;
  }
  return `${formatPath(issue.path)}: ${issue.message}`;
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map(issueLine);
}
