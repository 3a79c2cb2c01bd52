// Structure-aware mutation of JSON documents for the fault suite: a mutation
// picks a node of the parsed document (by index into a walk of every node)
// and replaces, deletes, duplicates, resizes or re-types it, or damages the
// text itself. The values are the ones that broke the CLI before (1e308,
// 2^31, 2^32 + 1, -0, control characters, deep nesting, huge arrays) plus
// fast-check's own doubles, integers and strings.
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface Mutation {
  readonly pick: number;
  readonly op: number;
  readonly value: Json;
  readonly n: number;
}

const SPECIAL_NUMBERS = [
  0, -0, 1, -1, 0.5, 1.5, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 257, 65535, 65536, 65537,
  2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, -(2 ** 31) - 1, 2 ** 53 + 2, -(2 ** 53) - 2, 1e9, 1e15, 1e308, -1e308, 5e-324, 1e-300, 4096, 1e6,
];
const SPECIAL_STRINGS = ['', 'input', '\u001b[2J\u001b[31m', 'a\u202eb', 'x'.repeat(300), '__proto__', 'constructor', '../../etc/passwd', 'global', 'relu', 'prelu', 'integer', 'float', 'stages', 'tflite', 'rne', 'conv2d', 'dense', 'add', 'avgPool', 'depthwiseConv2d'];

export const valueArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_NUMBERS) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 2, arbitrary: fc.constantFrom<Json>(...SPECIAL_STRINGS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [0], { kind: 'relu' }) },
  // Deep nesting as a marker, expanded when applied (fast-check prints counterexamples recursively).
  { weight: 1, arbitrary: fc.constantFrom(30, 80, 5000).map((d): Json => ({ __deep: d })) },
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({ pick: fc.nat(), op: fc.nat({ max: 99 }), value: valueArb, n: fc.nat({ max: 200_000 }) });

interface Slot {
  readonly parent: Json[] | { [k: string]: Json } | null;
  readonly key: string | number;
  readonly value: Json;
}

function slots(doc: Json): Slot[] {
  const out: Slot[] = [{ parent: null, key: '', value: doc }];
  const walk = (v: Json): void => {
    if (Array.isArray(v)) v.forEach((x, i) => {
      out.push({ parent: v, key: i, value: x });
      walk(x);
    });
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
      out.push({ parent: v, key: k, value: x });
      walk(x);
    }
  };
  walk(doc);
  return out;
}

function set(s: Slot, v: Json): void {
  if (s.parent === null) return;
  if (Array.isArray(s.parent)) s.parent[s.key as number] = v;
  else s.parent[s.key as string] = v;
}

/** Applies the mutations to a copy of `doc`; returns the JSON text (perhaps damaged). */
export function mutate(doc: unknown, ms0: readonly Mutation[]): string {
  let root = structuredClone(doc) as Json;
  let textOps: Mutation[] = [];
  for (const m0 of ms0) {
    const m = { ...m0, value: structuredClone(m0.value) };
    const all = slots(root);
    const s = all[m.pick % all.length]!;
    const op = m.op;
    if (op < 40) {
      // Replace the node's value.
      if (s.parent === null) root = m.value;
      else set(s, m.value);
    } else if (op < 50) {
      // Numbers: scale or nudge, the way a wrong unit or an off-by-one does.
      if (typeof s.value === 'number') set(s, [s.value * 2, s.value + 1, -s.value, s.value * 1e6, s.value - 1][m.n % 5]!);
      else set(s, m.value);
    } else if (op < 60) {
      // Delete it.
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else if (s.parent !== null) delete s.parent[s.key as string];
    } else if (op < 68) {
      // Add a field (unknown or a copy of a sibling's name with another value).
      const target = (s.value !== null && typeof s.value === 'object' && !Array.isArray(s.value) ? s.value : s.parent) as Json;
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) target[['extra', 'name', 'bits', 'input', 'with', 'range', 'kernel'][m.n % 7]!] = m.value;
    } else if (op < 80) {
      // Resize an array: drop or repeat its last element, empty it, or make it long.
      if (Array.isArray(s.value)) {
        const a = s.value;
        const kind = m.n % 4;
        if (kind === 0) a.pop();
        else if (kind === 1) a.push(a.length > 0 ? structuredClone(a[a.length - 1]!) : m.value);
        else if (kind === 2) a.length = 0;
        else if (a.length > 0 && a.every((x) => x === null || typeof x !== 'object')) {
          // Long arrays of primitives only: repeating objects would repeat whole subtrees (gigabytes of text).
          const len = a.length;
          for (let i = 0; i < m.n % 100_000; i++) a.push(a[i % len]!);
        }
      } else set(s, m.value);
    } else if (op < 88) {
      // Swap with another node of the document (a field of the wrong kind).
      const other = all[(m.pick >>> 7) % all.length]!;
      if (other !== s && !contains(s.value, other.value) && !contains(other.value, s.value)) {
        const a = structuredClone(s.value);
        set(s, structuredClone(other.value));
        set(other, a);
      }
    } else textOps = [...textOps, m];
  }
  // Deep-nesting markers become text only now: walking or cloning them would overflow here, not in the CLI.
  // Only the first marker is expanded (an array of repeated markers would make a gigabyte of text).
  let expanded = 0;
  let text = JSON.stringify(root).replace(/\{"__deep":(\d+)\}/g, (_m, d: string) => {
    // A later mutation may have changed the marker's own number: keep the depth bounded.
    const depth = Math.min(5000, Number(d));
    return expanded++ > 0 ? '0' : `${'['.repeat(depth)}0${']'.repeat(depth)}`;
  });
  for (const m of textOps) {
    const at = m.n % (text.length + 1);
    text = m.op < 94 ? text.slice(0, at) : `${text.slice(0, at)}${['}', ']', ',', '"', '\u0000', 'NaN', '1e999'][m.n % 7]}${text.slice(at)}`;
  }
  return text;
}

function contains(outer: Json, inner: Json): boolean {
  if (outer === inner) return true;
  if (outer === null || typeof outer !== 'object') return false;
  return Object.values(outer).some((v) => contains(v, inner));
}
