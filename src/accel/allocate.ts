/**
 * Activation RAM allocation: each tensor gets a contiguous range of words,
 * first fit, and is freed after the last layer that reads it. For a chain this
 * is ping-pong between two regions; a tensor a residual add reads later stays
 * put (the "residual buffer") while the chain ping-pongs around it. Nothing
 * here assumes the whole network fits: a later memory port tiles a tensor
 * that does not, and the compiler refuses one that does not fit today.
 */
export interface Allocation {
  readonly base: number;
  readonly words: number;
}

export class ActivationAllocator {
  readonly #live = new Map<string, Allocation>();
  #high = 0;

  /** The lowest base where `words` words overlap no live tensor. */
  allocate(name: string, words: number): Allocation {
    const taken = [...this.#live.values()].sort((a, b) => a.base - b.base);
    let base = 0;
    for (const t of taken) {
      if (base + words <= t.base) break;
      base = Math.max(base, t.base + t.words);
    }
    const a = Object.freeze({ base, words });
    this.#live.set(name, a);
    this.#high = Math.max(this.#high, base + words);
    return a;
  }

  free(name: string): void {
    this.#live.delete(name);
  }

  get(name: string): Allocation | undefined {
    return this.#live.get(name);
  }

  /** Words used at the busiest point (highest address + 1). */
  get highWater(): number {
    return this.#high;
  }
}
