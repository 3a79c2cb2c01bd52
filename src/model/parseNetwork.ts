/**
 * Parse and validate network files: JSON text or an already-parsed value in,
 * a typed network out, or a ModelError listing every problem with its path.
 * No I/O here (see files.ts).
 */
import { floatNetworkSchema, type FloatNetwork } from './network.ts';
import { intNetworkSchema, type IntNetwork } from './intNetwork.ts';
import { ModelError, formatIssues } from './formatIssues.ts';
import { checkJsonDepth } from './limits.ts';

/** Parse JSON text; a syntax error becomes a ModelError naming `source`. */
export function parseJsonText(text: string, source: string): unknown {
  checkJsonDepth(text, source);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ModelError(source, [`malformed JSON: ${(err as Error).message}`]);
  }
}

export function validateFloatNetwork(value: unknown, source = 'float network'): FloatNetwork {
  const r = floatNetworkSchema.safeParse(value);
  if (!r.success) throw new ModelError(source, formatIssues(r.error.issues));
  return r.data;
}

export function parseFloatNetwork(text: string, source = 'float network'): FloatNetwork {
  return validateFloatNetwork(parseJsonText(text, source), source);
}

export function validateIntNetwork(value: unknown, source = 'integer network'): IntNetwork {
  const r = intNetworkSchema.safeParse(value);
  if (!r.success) throw new ModelError(source, formatIssues(r.error.issues));
  return r.data;
}

export function parseIntNetwork(text: string, source = 'integer network'): IntNetwork {
  return validateIntNetwork(parseJsonText(text, source), source);
}
