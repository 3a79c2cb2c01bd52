import { createCipheriv, createHash } from 'node:crypto';

let zeros = Buffer.alloc(0);
const keys = new Map<number, Buffer>();
/** The keystream of the last call, kept so consecutive frames need no new cipher. */
let open: { seed: number; nextBlock: number; cipher: ReturnType<typeof createCipheriv> } | undefined;

function keyOf(seed: number): Buffer {
  let key = keys.get(seed);
  if (!key) {
    key = createHash('sha256').update(`pikehdl-bench:${seed}`).digest().subarray(0, 16);
    keys.set(seed, key);
  }
  return key;
}

/**
 * Bytes [offset, offset + n) of a pseudo-random stream fully determined by
 * `seed`: the AES-128-CTR keystream (native, about 1 ns per byte). `offset`
 * must be a multiple of 16 (one AES block). Sequential calls reuse one
 * cipher. Not for security, for stimulus.
 */
export function seededBytes(n: number, seed: number, offset: number): Buffer {
  if (offset % 16 !== 0) throw new Error(`seededBytes offset ${offset} must be a multiple of 16`);
  const block = offset / 16;
  if (!open || open.seed !== seed || open.nextBlock !== block) {
    const iv = Buffer.alloc(16);
    iv.writeUInt32BE(Math.floor(block / 2 ** 32), 8);
    iv.writeUInt32BE(block >>> 0, 12);
    open = { seed, nextBlock: block, cipher: createCipheriv('aes-128-ctr', keyOf(seed), iv) };
  }
  if (zeros.length < n) zeros = Buffer.alloc(Math.max(n, 2 * zeros.length));
  const out = open.cipher.update(zeros.subarray(0, n));
  // A length that is not a whole number of blocks leaves the cipher mid-block: start afresh next time.
  if (n % 16 === 0) open.nextBlock += n / 16;
  else open = undefined;
  return out;
}
