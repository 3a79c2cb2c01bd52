/**
 * Reading and writing a cost table as JSON (format "pikehdl-cost-table",
 * version 1). Every kind must be given: a table that silently fell back to
 * the default for a forgotten kind would report numbers nobody chose.
 *
 * {
 *   "format": "pikehdl-cost-table", "version": 1, "name": "my-table",
 *   "rules": {
 *     "mac": { "rule": "product", "scale": 1 }, ...integer kinds...,
 *     "floatMul": { "fp16": 256, "bf16": 256, "fp32": 1024 }, ...float kinds...
 *   },
 *   "overrides": { "intMul 8x19": 120 }
 * }
 */
import { z } from 'zod';
import { type CostTable, type IntKind, type FloatKind, type IntRuleName, INT_RULES, RULES_FOR_KIND } from './costTable.ts';
import { FLOAT_FORMATS, OpError, parseOpKey, opKey } from './ops.ts';
import { describeZodError, closedObject } from './zodIssues.ts';

export class CostTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostTableError';
  }
}

const cost = z.number({ error: 'a cost must be a number' }).finite('a cost must be finite').nonnegative('a cost must be >= 0');

const intRule = (kind: IntKind) =>
  closedObject({
    rule: z.enum(INT_RULES).refine((r: IntRuleName) => RULES_FOR_KIND[kind].includes(r), {
      message: `rule for ${kind} must be one of ${RULES_FOR_KIND[kind].join(', ')}`,
    }),
    scale: cost.default(1),
  });

const floatRule = closedObject(
  Object.fromEntries(FLOAT_FORMATS.map((f) => [f, cost])) as Record<(typeof FLOAT_FORMATS)[number], typeof cost>,
);

const rulesSchema = closedObject({
  mac: intRule('mac'),
  intMul: intRule('intMul'),
  intAdd: intRule('intAdd'),
  compare: intRule('compare'),
  shiftConst: intRule('shiftConst'),
  shiftVar: intRule('shiftVar'),
  floatMac: floatRule,
  floatMul: floatRule,
  floatAdd: floatRule,
});

const costTableSchema = closedObject({
  format: z.literal('pikehdl-cost-table'),
  version: z.literal(1),
  name: z.string().min(1, 'a name must be a non-empty string'),
  rules: rulesSchema,
  overrides: z.record(z.string(), cost).default({}),
});

export type CostTableJson = z.input<typeof costTableSchema>;

/**
 * Validates parsed JSON as a cost table. `source` (a file name) prefixes
 * every message. Unknown kinds, rules, float formats and malformed or
 * out-of-range override operations are refused, naming field and value.
 */
export function parseCostTable(json: unknown, source = 'cost table'): CostTable {
  const r = costTableSchema.safeParse(json);
  if (!r.success) throw new CostTableError(`${source}: ${describeZodError(r.error, json)}`);
  const overrides: Record<string, number> = {};
  for (const [key, value] of Object.entries(r.data.overrides)) {
    try {
      // Canonicalise so "intMul 08x19" cannot silently miss.
      const canonical = opKey(parseOpKey(key));
      if (canonical !== key) throw new OpError(`operation ${JSON.stringify(key)} is not in canonical form: write ${JSON.stringify(canonical)}`);
      overrides[key] = value;
    } catch (e) {
      if (e instanceof OpError) throw new CostTableError(`${source}: overrides[${JSON.stringify(key)}]: ${e.message}`);
      throw e;
    }
  }
  const rules = r.data.rules;
  const intKinds: IntKind[] = ['mac', 'intMul', 'intAdd', 'compare', 'shiftConst', 'shiftVar'];
  const floatKinds: FloatKind[] = ['floatMac', 'floatMul', 'floatAdd'];
  return Object.freeze({
    name: r.data.name,
    intRules: Object.freeze(Object.fromEntries(intKinds.map((k) => [k, Object.freeze({ ...rules[k] })]))) as CostTable['intRules'],
    floatRules: Object.freeze(Object.fromEntries(floatKinds.map((k) => [k, Object.freeze({ ...rules[k] })]))) as CostTable['floatRules'],
    overrides: Object.freeze(overrides),
  });
}

/** Parses JSON text; a syntax error is reported with the source name. */
export function parseCostTableText(text: string, source = 'cost table'): CostTable {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CostTableError(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  return parseCostTable(json, source);
}

/** The JSON form of a table (round-trips through parseCostTable). */
export function costTableToJson(t: CostTable): CostTableJson {
  return {
    format: 'pikehdl-cost-table',
    version: 1,
    name: t.name,
    rules: Object.fromEntries(
      Object.entries({ ...t.intRules, ...t.floatRules }).map(([k, v]) => [k, { ...v }]),
    ) as CostTableJson['rules'],
    overrides: { ...t.overrides },
  };
}
