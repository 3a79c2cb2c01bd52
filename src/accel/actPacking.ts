/**
 * How a spill build stores activation words in the `acts` region: densely, word k of the region at
 * byte k * stride, where stride is the word's bits rounded up to whole bytes (16 lanes x 9 bits:
 * 18 bytes, not the two 16-byte beats of the other regions). A band's words [w0, w0 + n) move as
 * the whole beats that hold their bytes: from the beat holding byte w0 * stride (`skip` leading
 * bytes of it belong to the word before) to the beat holding the last byte. The RTL's gearboxes
 * (hdl-gen/accel/axiGearbox.ts) take stride, the word width and the buffer size from this object,
 * and the compiler, the traffic model and the harness's memory image pack and unpack with it, so
 * they cannot disagree.
 *
 * A word narrower than a beat would need the read gearbox to emit two words per beat; such a
 * build (e.g. 8 lanes x 4 bits on a 64-bit bus) keeps the whole-beat layout: stride is then the
 * word's beats times the bus bytes.
 */
import type { AccelConfig } from './config.ts';
import { axiSettings, wordBeats } from './axiSettings.ts';
import { actWordWidth } from './layout.ts';

export interface ActPacking {
  /** Bits of an activation word. */
  readonly wordBits: number;
  /** Bytes from one word to the next in the acts region (at least the bus bytes). */
  readonly stride: number;
  /** Bus bytes per beat. */
  readonly dataBytes: number;
  /** True when stride < the word's whole beats (the layout is denser than the other regions'). */
  readonly dense: boolean;
  /** The beats that hold words [word0, word0 + n): the beat-aligned byte offset of the first, the bytes of it to skip, and the count. */
  span(word0: number, n: number): { readonly offset: number; readonly skip: number; readonly beats: number };
  /** Bytes of a region of `words` words (whole beats). */
  regionBytes(words: number): number;
  /** Words -> the region's bytes (little-endian, each word's top byte bits zero). */
  pack(words: readonly bigint[]): Uint8Array;
  /** The region's bytes -> `count` words. */
  unpack(bytes: Uint8Array, count: number): bigint[];
}

export function actPacking(c: AccelConfig): ActPacking {
  const s = axiSettings(c);
  const wordBits = actWordWidth(c);
  const bytes = Math.ceil(wordBits / 8);
  const beatsStride = wordBeats(c).acts * s.dataBytes;
  const stride = bytes >= s.dataBytes ? bytes : beatsStride;
  const db = s.dataBytes;
  const span = (word0: number, n: number): { offset: number; skip: number; beats: number } => {
    const first = word0 * stride;
    const offset = Math.floor(first / db) * db;
    const end = first + n * stride;
    return { offset, skip: first - offset, beats: n === 0 ? 0 : Math.ceil(end / db) - offset / db };
  };
  return Object.freeze({
    wordBits, stride, dataBytes: db, dense: stride < beatsStride, span,
    regionBytes: (words: number): number => Math.ceil((words * stride) / db) * db,
    pack(words: readonly bigint[]): Uint8Array {
      const out = new Uint8Array(Math.ceil((words.length * stride) / db) * db);
      words.forEach((w, i) => {
        if (w < 0n || w >> BigInt(wordBits) !== 0n) throw new RangeError(`actPacking: word ${i} is not a ${wordBits}-bit word (this is a bug)`);
        let v = w;
        for (let k = 0; k < stride; k++) {
          out[i * stride + k] = Number(v & 0xffn);
          v >>= 8n;
        }
      });
      return out;
    },
    unpack(data: Uint8Array, count: number): bigint[] {
      const out: bigint[] = [];
      for (let i = 0; i < count; i++) {
        let v = 0n;
        for (let k = stride - 1; k >= 0; k--) v = (v << 8n) | BigInt(data[i * stride + k] ?? 0);
        out.push(v);
      }
      return out;
    },
  });
}
