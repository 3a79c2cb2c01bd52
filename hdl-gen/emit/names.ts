/** Fresh names for emitted intermediates: `<base>_t<k>`, never colliding with a module's own names. */
export class NameAllocator {
  readonly #taken: Set<string>;
  readonly #next = new Map<string, number>();

  constructor(taken: Iterable<string>) {
    this.#taken = new Set(taken);
  }

  fresh(base: string): string {
    // Avoid "__" (reserved for Verilator's C++ names) when the base ends in "_".
    const stem = base.endsWith('_') ? `${base}t` : `${base}_t`;
    let k = this.#next.get(stem) ?? 0;
    while (this.#taken.has(`${stem}${k}`)) k++;
    const name = `${stem}${k}`;
    this.#next.set(stem, k + 1);
    this.#taken.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.#taken.has(name);
  }

  claim(name: string): void {
    this.#taken.add(name);
  }
}
