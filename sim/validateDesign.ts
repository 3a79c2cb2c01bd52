import { SimError } from './simError.ts';
import type { SimDesign } from './types.ts';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const SOURCE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}\.(v|sv|vh|svh)$/;
export const MAX_PORT_WIDTH = 65_536;

/** Throws a SimError naming the field, the value and the rule it breaks. */
export function validateDesign(design: SimDesign): void {
  if (typeof design.top !== 'string' || !IDENTIFIER.test(design.top)) {
    throw new SimError(
      `design.top ${JSON.stringify(design.top)} must be a plain identifier ` +
        `(letter or _ then letters, digits or _, at most 128 characters)`,
    );
  }
  if (!Array.isArray(design.sources) || design.sources.length === 0) {
    throw new SimError(`design.sources of ${design.top} must be a non-empty array`);
  }
  const seen = new Set<string>();
  design.sources.forEach((s, i) => {
    if (typeof s.name !== 'string' || !SOURCE_NAME.test(s.name)) {
      throw new SimError(
        `design.sources[${i}].name ${JSON.stringify(s.name)} must be a plain identifier ` +
          `followed by .v, .sv, .vh or .svh (no directories)`,
      );
    }
    if (seen.has(s.name)) {
      throw new SimError(`design.sources[${i}].name ${JSON.stringify(s.name)} must be unique`);
    }
    seen.add(s.name);
    if (typeof s.text !== 'string') {
      throw new SimError(`design.sources[${i}].text of ${s.name} must be a string`);
    }
  });
  for (const field of ['inWidth', 'outWidth'] as const) {
    const w = design[field];
    if (!Number.isInteger(w) || w < 1 || w > MAX_PORT_WIDTH) {
      throw new SimError(
        `design.${field} ${String(w)} of ${design.top} must be an integer from 1 to ${MAX_PORT_WIDTH}`,
      );
    }
  }
}
