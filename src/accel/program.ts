/**
 * The layer program: what the compiler produces and both the TypeScript
 * interpreter and the RTL execute. One descriptor per layer; all tensors live
 * in one activation RAM of words of `lanes` channels, in (y, x, channel group)
 * order; weights are words of lanes x lanes values, per-channel parameters are
 * words of `lanes` parameter sets.
 *
 * Loop order of every layer (output-stationary):
 *   for oy < oh, ox < ow, og < og:            one output word
 *     for ky < kh, kx < kw, ig < igCount:     one tap per cycle
 *       acc[r] += sum_c W[waddr][r][c] * X[xaddr][c]      (X = 0 outside the input: padding)
 *     write requant(acc) to outBase + (oy*ow + ox)*og + og
 * kinds: 'conv' (conv2d, pointwise, dense: ig runs over the input groups),
 * 'window' (depthwise and average pooling: igCount = 1, the input group is og,
 * the weight word is diagonal), 'add' (kw = 2 taps: input A then input B,
 * weight words diag(A1), diag(A2)), 'max' (max pooling: the window path with
 * the identity diagonal, a running max instead of the sum, and padded taps
 * reading the descriptor's `min`, which never wins after the final clamp).
 */
import type { RoundingMode } from '../arith/index.ts';
import type { AccelConfig } from './config.ts';

export const LAYER_KINDS = ['conv', 'window', 'add', 'max'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

export interface LayerDesc {
  readonly name: string;
  /** Network op this descriptor runs (conv2d, depthwiseConv2d, dense, avgPool, maxPool, add). */
  readonly op: string;
  readonly kind: LayerKind;
  readonly inBase: number;
  /** Second input (add); equals inBase otherwise. */
  readonly in2Base: number;
  readonly outBase: number;
  readonly ih: number;
  readonly iw: number;
  /** Input channel groups (words per input pixel). */
  readonly ig: number;
  readonly oh: number;
  readonly ow: number;
  /** Output channel groups. */
  readonly og: number;
  readonly kh: number;
  readonly kw: number;
  readonly stride: number;
  readonly pad: number;
  /** Reduction steps per tap: ig for 'conv', 1 otherwise. */
  readonly igCount: number;
  readonly wBase: number;
  readonly wOgStride: number;
  readonly wTapStride: number;
  readonly pBase: number;
  /** Channels of the input / output; the last group's valid lanes follow. */
  readonly inChannels: number;
  readonly outChannels: number;
  readonly shift: number;
  readonly rounding: RoundingMode;
  readonly preluShift: number;
  readonly min: number;
  readonly max: number;
  /** Useful multiplies and output elements (the activity counters' expected values). */
  readonly macs: number;
  readonly outputElements: number;
  /** Taps issued = cycles of the MAC pipeline in this layer. */
  readonly taps: number;
  /**
   * AXI build only: this descriptor is one output-group tile of a layer whose words do not fit a
   * buffer half (compileAxi). It runs output groups [group0, group0 + og) of `groups`; outBase
   * already includes group0, the output words of a pixel are `groups` apart, and outChannels are
   * this tile's. `layerOutChannels` are the whole layer's.
   */
  readonly tile?: { readonly group0: number; readonly groups: number; readonly layerOutChannels: number };
  /**
   * AXI build with spill (config.spill) only: what the DMA moves around this descriptor (src/accel/compileSpill.ts).
   * Every descriptor of such a program has it; a program that fits the activation RAM has one band per layer.
   */
  readonly band?: Band;
}

/**
 * One output-row band of a layer: output rows [oy0, oy1) computed from input rows [iy0, iy1), which
 * the DMA reads into the activation RAM before the band runs (inBase, in2Base and outBase are then
 * band-relative RAM addresses; padding is decided on global rows). Offsets are bytes from the region
 * base (input: INPUT_BASE, beat-aligned; activations: ACT_BASE; the last layer's output: OUTPUT_BASE).
 */
export interface Band {
  readonly oy0: number;
  readonly oy1: number;
  readonly iy0: number;
  readonly iy1: number;
  /** 'none': the input is already in the RAM (the next tile of a band, or a program that fits); 'input': input elements; 'a' / 'ab': activation words of the first (and second) input. */
  readonly read: 'none' | 'input' | 'a' | 'ab';
  readonly readOffset: number;
  readonly read2Offset: number;
  /** Beats ('input') or activation words ('a', 'ab': each input). */
  readonly readCount: number;
  /** 'input': elements to skip in the first beat, and elements to unpack. */
  readonly readSkip: number;
  readonly readElems: number;
  /**
   * The read may start once the writes of descriptors before index readAfter have been answered
   * (0: at once): the bands that wrote the rows it reads, and the band before it in its RAM bank.
   */
  readonly readAfter: number;
  /** The weight and parameter words are already in the descriptor's buffer half (the descriptor two back, a band of the same layer, loaded the same words): not read again. */
  readonly reuseWords: boolean;
  /** After the band: write its output words (outWords from the band's RAM base) to writeOffset. */
  readonly write: boolean;
  /** The band is the last layer's: it writes to the output region (else to the activation region). */
  readonly toOutput: boolean;
  readonly writeOffset: number;
  /** Byte offsets of the descriptor's weight and parameter words in their regions. */
  readonly weightOffset: number;
  readonly paramOffset: number;
  /** Word offset of the layer's whole output tensor in its region (activations, or output for the last layer): where the interpreter's trace reads it back. */
  readonly tensorWord: number;
}

/** One lane's parameters: x = acc*normMul + normOff; x = x*scaleMul + scaleOff; roundShift; PReLU slope. */
export interface LaneParams {
  readonly normMul: number;
  readonly normOff: number;
  readonly scaleMul: number;
  readonly scaleOff: number;
  readonly prelu: number;
}

export interface AccelProgram {
  readonly network: string;
  readonly config: AccelConfig;
  readonly layers: readonly LayerDesc[];
  /** Weight ROM: each word lanes*lanes values, row-major (row = output lane). */
  readonly weightWords: readonly Int32Array[];
  /** Parameter ROM: each word `lanes` parameter sets. */
  readonly paramWords: readonly (readonly LaneParams[])[];
  readonly input: { readonly height: number; readonly width: number; readonly channels: number; readonly groups: number; readonly base: number; readonly min: number; readonly max: number };
  readonly output: { readonly base: number; readonly height: number; readonly width: number; readonly channels: number; readonly groups: number };
  /** Activation words used (highest address + 1). */
  readonly actWordsUsed: number;
  /** AXI build with spill, when the live tensors do not fit the activation RAM: the activation region's words (every tensor at its unbounded allocation's base). */
  readonly spill?: { readonly actWords: number };
  /** Beats of the output stream: elements, class, total cycles, then per layer cycles, MACs, output elements. */
  readonly outputBeats: number;
}

export const ROUNDING_CODES: readonly RoundingMode[] = ['rdn', 'rnu', 'rne', 'rna', 'rod'];
export const roundingCode = (m: RoundingMode): number => ROUNDING_CODES.indexOf(m);
export const kindCode = (k: LayerKind): number => LAYER_KINDS.indexOf(k);
