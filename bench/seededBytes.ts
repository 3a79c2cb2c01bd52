import { createCipheriv, createHash } from 'node:crypto';

let zeros = Buffer.alloc(0);
const keys = new Map<number, Buffer>();

/**
 * `n` pseudo-random bytes fully determined by (seed, stream): AES-128-CTR
 * keystream, native and about as fast as crypto.randomFillSync, but
 * replayable. Not for security, for stimulus.
 */
export function seededBytes(n: number, seed: number, stream: number): Buffer {
  if (zeros.length < n) zeros = Buffer.alloc(Math.max(n, 2 * zeros.length));
  let key = keys.get(seed);
  if (!key) {
    key = createHash('sha256').update(`pikehdl-bench:${seed}`).digest().subarray(0, 16);
    keys.set(seed, key);
  }
  const iv = Buffer.alloc(16);
  iv.writeUInt32LE(stream >>> 0, 0);
  iv.writeUInt32LE(Math.floor(stream / 2 ** 32), 4);
  return createCipheriv('aes-128-ctr', key, iv).update(zeros.subarray(0, n));
}
