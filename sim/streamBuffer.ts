/** Accumulates stdout chunks and hands out exact byte counts without re-copying each chunk. */
export class StreamBuffer {
  private chunks: Buffer[] = [];
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The first n bytes (n <= length) without consuming them. */
  peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) return first.subarray(0, n);
    return this.copyOut(n, false);
  }

  /** Removes and returns the first n bytes (n <= length). */
  take(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.total -= n;
      return out;
    }
    return this.copyOut(n, true);
  }

  /** Everything buffered, consumed. */
  takeAll(): Buffer {
    return this.take(this.total);
  }

  private copyOut(n: number, consume: boolean): Buffer {
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    let i = 0;
    while (off < n) {
      const c = this.chunks[i]!;
      const k = Math.min(c.length, n - off);
      c.copy(out, off, 0, k);
      off += k;
      if (consume) {
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      } else {
        i++;
      }
    }
    if (consume) this.total -= n;
    return out;
  }
}
