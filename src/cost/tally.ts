/**
 * The tally: operation counts by category, kind and operand widths, and the
 * costs they add up to (ACE, ACEv2, pJ), per layer and per network.
 *
 * Everything is built from one primitive, a list of OpCount (category,
 * operation, count): the analytic path (analyticTally.ts) and the hardware
 * path (inventory.ts) both produce OpCounts, so the two can only disagree in
 * what they count, never in how it is summed. Counts are exact integers; a
 * count beyond 2^53 is refused rather than rounded.
 */
import { type Category, CATEGORIES } from './categories.ts';
import { type Op, checkOp, opKey } from './ops.ts';
import { type CostTable, opAce, opCost, isMac } from './costTable.ts';
import { opEnergyPj } from './energy.ts';

export interface OpCount {
  readonly category: Category;
  readonly op: Op;
  readonly count: number;
}

export interface CostTotals {
  /** PokeBNN's ACE: MAC count x weight bits x activation bits. */
  readonly ace: number;
  /** ACE plus every elementwise operation, under the cost table. */
  readonly acev2: number;
  /** Energy under the Horowitz 2014 45 nm model. */
  readonly pj: number;
}

/** One row: an operation (by key) in a category, with its count and costs. */
export interface OpTally extends CostTotals {
  readonly category: Category;
  readonly key: string;
  readonly op: Op;
  readonly count: number;
}

export interface LayerTally extends CostTotals {
  readonly name: string;
  /** What the layer is (conv2d, requantizer, ...): free text for reports. */
  readonly kind: string;
  readonly macs: number;
  readonly byCategory: Readonly<Record<Category, CostTotals>>;
  /** Sorted by category (CATEGORIES order), then key. */
  readonly ops: readonly OpTally[];
}

export interface NetworkTally extends CostTotals {
  readonly network: string;
  readonly recipe: string;
  readonly costTable: string;
  readonly macs: number;
  readonly layers: readonly LayerTally[];
  readonly byCategory: Readonly<Record<Category, CostTotals>>;
  /** Every operation of every layer merged by (category, key). */
  readonly ops: readonly OpTally[];
  /** Share of ACEv2 spent outside the MACs: (acev2 - mac category) / acev2. */
  readonly elementwiseShare: number;
}

export class TallyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TallyError';
  }
}

const ZERO: CostTotals = Object.freeze({ ace: 0, acev2: 0, pj: 0 });

function addTotals(a: CostTotals, b: CostTotals): CostTotals {
  return { ace: a.ace + b.ace, acev2: a.acev2 + b.acev2, pj: a.pj + b.pj };
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new TallyError(`${what}: count ${String(n)} is invalid: a count must be a non-negative integer below 2^53`);
  }
}

const categoryRank = (c: Category): number => CATEGORIES.indexOf(c);
const compareRows = (a: { category: Category; key: string }, b: { category: Category; key: string }): number =>
  categoryRank(a.category) - categoryRank(b.category) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Merge counts of the same (category, operation) and cost them. Zero
 *  counts are dropped so that tallies compare equal regardless of them. */
export function tallyOps(counts: readonly OpCount[], table: CostTable): OpTally[] {
  const merged = new Map<string, { category: Category; op: Op; key: string; count: number }>();
  for (const c of counts) {
    const op = checkOp(c.op);
    const key = opKey(op);
    checkCount(c.count, `${c.category} ${key}`);
    if (!(CATEGORIES as readonly string[]).includes(c.category)) {
      throw new TallyError(`${key}: category ${JSON.stringify(c.category)} is unknown: expected one of ${CATEGORIES.join(', ')}`);
    }
    if (isMac(op) !== (c.category === 'mac')) {
      throw new TallyError(`${key}: category ${c.category} is invalid: MAC operations and only they belong to category mac`);
    }
    const id = `${c.category}|${key}`;
    const row = merged.get(id);
    if (row) {
      row.count += c.count;
      checkCount(row.count, `${c.category} ${key}`);
    } else if (c.count > 0) {
      merged.set(id, { category: c.category, op, key, count: c.count });
    }
  }
  return [...merged.values()]
    .filter((r) => r.count > 0)
    .sort(compareRows)
    .map((r) =>
      Object.freeze({
        ...r,
        ace: r.count * opAce(r.op),
        acev2: r.count * opCost(table, r.op),
        pj: r.count * opEnergyPj(r.op),
      }),
    );
}

function sumRows(rows: readonly OpTally[]): { total: CostTotals; byCategory: Record<Category, CostTotals> } {
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, ZERO])) as Record<Category, CostTotals>;
  let total = ZERO;
  for (const r of rows) {
    byCategory[r.category] = addTotals(byCategory[r.category], r);
    total = addTotals(total, r);
  }
  return { total, byCategory };
}

function macCount(rows: readonly OpTally[]): number {
  return rows.reduce((n, r) => (r.category === 'mac' ? n + r.count : n), 0);
}

/** The tally of one layer (or one hardware unit) from its operation counts. */
export function tallyLayer(name: string, kind: string, counts: readonly OpCount[], table: CostTable): LayerTally {
  const ops = tallyOps(counts, table);
  const { total, byCategory } = sumRows(ops);
  return Object.freeze({ name, kind, macs: macCount(ops), ...total, byCategory: Object.freeze(byCategory), ops: Object.freeze(ops) });
}

/**
 * The network tally from its layers' tallies. Totals are summed layer by
 * layer in order, so a network total is exactly the sum of the per-layer
 * figures a report prints.
 */
export function tallyNetworkFromLayers(
  network: string,
  recipe: string,
  table: CostTable,
  layers: readonly LayerTally[],
): NetworkTally {
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, ZERO])) as Record<Category, CostTotals>;
  let total = ZERO;
  let macs = 0;
  const all: OpCount[] = [];
  for (const l of layers) {
    total = addTotals(total, l);
    macs += l.macs;
    for (const c of CATEGORIES) byCategory[c] = addTotals(byCategory[c], l.byCategory[c]);
    for (const r of l.ops) all.push({ category: r.category, op: r.op, count: r.count });
  }
  const elementwise = total.acev2 - byCategory.mac.acev2;
  return Object.freeze({
    network,
    recipe,
    costTable: table.name,
    macs,
    ...total,
    layers: Object.freeze([...layers]),
    byCategory: Object.freeze(byCategory),
    ops: Object.freeze(tallyOps(all, table)),
    elementwiseShare: total.acev2 === 0 ? 0 : elementwise / total.acev2,
  });
}
