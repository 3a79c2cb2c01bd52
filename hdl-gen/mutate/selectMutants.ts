/**
 * Which mutants a budgeted run builds in: a seeded choice spread over the
 * operators (round robin over operators, each operator's sites in a seeded
 * order), so a small budget still exercises every kind of mutation.
 */
import { DslError } from '../dsl/dslError.ts';
import { MUTATION_OPERATORS, type Mutation } from './mutationTypes.ts';

/** The ids to run, ascending. budget >= the number of sites selects them all. */
export function selectMutants(mutations: readonly Mutation[], budget: number, seed: number): number[] {
  if (!Number.isInteger(budget) || budget < 1) throw new DslError(`selectMutants: budget ${String(budget)} must be a positive integer`);
  if (budget >= mutations.length) return mutations.map((m) => m.id);
  const rand = mulberry32(seed >>> 0);
  const queues = MUTATION_OPERATORS.map((op) => shuffle(mutations.filter((m) => m.operator === op).map((m) => m.id), rand));
  const chosen: number[] = [];
  while (chosen.length < budget) {
    for (const q of queues) {
      const id = q.shift();
      if (id !== undefined && chosen.length < budget) chosen.push(id);
    }
  }
  return chosen.sort((a, b) => a - b);
}

function shuffle(xs: number[], rand: () => number): number[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
  return xs;
}

/** A small, well-known 32-bit generator: the choice must replay from the seed alone. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
