/**
 * Activations in external memory (AXI build with config.spill): the band
 * plan of a layer program. When the live tensors fit the activation RAM the
 * program is the one the AXI compiler makes anyway, and the bands only say
 * that descriptor 0 reads the input and the last descriptor writes the output.
 * When they do not, every tensor lives in the activation region at the base
 * the unbounded allocation gave it (compileAccel's first-fit plan, read as
 * external words), and each layer runs as output-row bands: band [oy0, oy1)
 * reads input rows [max(0, oy0*s - pad), min(ih, (oy1-1)*s - pad + kh)) (one
 * contiguous range of NHWC words per input) into its bank of the RAM (bands
 * alternate between the RAM's two halves, so the next band's input can load
 * and the last band's output can drain while one computes: a residual add's
 * second input after the first, the output rows after them), computes its
 * rows, and writes them back. The band height is the largest whose input and
 * output words fit a bank. A layer split into output-group tiles runs its
 * tiles band by band: the first tile of a band reads the input, the last one
 * writes the band (each band reads the layer's weight words again).
 * Byte offsets into the activation region (readOffset, read2Offset, writeOffset of a band
 * that is not the last layer's) are word * stride of its dense packing (actPacking.ts), not
 * beat-aligned: the DMA reads from the beat holding the first byte and writes with strobes.
 */
import type { IntNetwork } from '../model/index.ts';
import { axiSettings, inputElementBytes, wordBeats } from './axiSettings.ts';
import type { AccelConfig } from './config.ts';
import { AccelCompileError } from './errors.ts';
import { type AccelProgram, type Band, type LayerDesc } from './program.ts';
import { axiMemoryMap, inputBeats, weightLayout } from './axiMemoryMap.ts';
import { actPacking } from './actPacking.ts';

type Placed = Omit<Band, 'weightOffset' | 'paramOffset'>;

/** `p`: the AXI program (descriptors per layer or tile; inBase/in2Base/outBase from the unbounded allocation); `R`: activation RAM words. */
export function planBands(net: IntNetwork, config: AccelConfig, p: AccelProgram, R: number): AccelProgram {
  const fits = p.actWordsUsed <= R;
  const s = axiSettings(config);
  const b = wordBeats(config);
  const actBytes = b.acts * s.dataBytes;
  // The acts region is packed densely (a word every `stride` bytes); the output region keeps whole beats per word.
  const stride = actPacking(config).stride;
  const eb = inputElementBytes(config);
  const layers: { d: LayerDesc; band: Placed }[] = [];
  if (fits) {
    p.layers.forEach((d, i) => {
      const last = i === p.layers.length - 1;
      layers.push({
        d, band: {
          oy0: 0, oy1: d.oh, iy0: 0, iy1: d.ih, read: i === 0 ? 'input' : 'none', readOffset: 0, read2Offset: 0,
          readCount: i === 0 ? inputBeats(p) : 0, readSkip: 0, readElems: i === 0 ? p.input.height * p.input.width * p.input.channels : 0,
          readAfter: 0, reuseWords: false, write: last, toOutput: last, writeOffset: 0, tensorWord: 0,
        },
      });
    });
  } else {
    const byName = new Map(net.layers.map((l) => [l.name, l]));
    // Two banks (the RAM's halves: the RTL selects by the top address bit); band k uses bank k mod 2.
    const bankWords = 2 ** (config.actAddrBits - 1);
    const cap = Math.min(Math.floor(R / 2), bankWords);
    let bandIndex = 0;
    // Per layer, its bands' output rows and the descriptor that writes them; per bank, its last band's writer.
    const written = new Map<string, { oy0: number; oy1: number; at: number }[]>();
    const bankLast = [-1, -1];
    const writerOf = (tensor: string, y0: number, y1: number): number => Math.max(-1, ...(written.get(tensor) ?? []).filter((w) => w.oy0 < y1 && w.oy1 > y0).map((w) => w.at));
    const lastName = p.layers[p.layers.length - 1]!.name;
    // The descriptors of one layer (its output-group tiles) are consecutive.
    for (let i = 0; i < p.layers.length;) {
      let j = i + 1;
      while (j < p.layers.length && p.layers[j]!.name === p.layers[i]!.name) j++;
      const tiles = p.layers.slice(i, j);
      const d0 = tiles[0]!;
      const layer = byName.get(d0.name)!;
      const fromInput = layer.input === 'input';
      if (layer.op === 'add' && (fromInput || layer.with === 'input')) throw new AccelCompileError(d0.name, 'activation RAM', 'a residual add of the network input cannot be banded: its input is stored as elements, not activation words');
      const groups = d0.tile?.groups ?? d0.og;
      const inputs = d0.kind === 'add' ? 2 : 1;
      const inRows = (oy0: number, oy1: number): [number, number] => [Math.max(0, oy0 * d0.stride - d0.pad), Math.min(d0.ih, (oy1 - 1) * d0.stride - d0.pad + d0.kh)];
      const need = (h: number): number => {
        let most = 0;
        for (let oy0 = 0; oy0 < d0.oh; oy0 += h) {
          const [a, z] = inRows(oy0, Math.min(d0.oh, oy0 + h));
          most = Math.max(most, inputs * (z - a) * d0.iw * d0.ig + (Math.min(d0.oh, oy0 + h) - oy0) * d0.ow * groups);
        }
        return most;
      };
      // The tallest band that fits (need grows with h).
      let h = 0;
      for (let lo = 1, hi = d0.oh; lo <= hi;) {
        const mid = (lo + hi) >> 1;
        if (need(mid) <= cap) {
          h = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (h === 0) throw new AccelCompileError(d0.name, 'activation RAM', `cannot be tiled into the configured buffers: one output row needs ${need(1)} activation words (input rows and the output row), a band has ${cap}: half of the activation RAM's ${R}${R < 2 ** config.actAddrBits ? ' (limited by the compiler option)' : ''} words (actAddrBits ${config.actAddrBits})`);
      const last = d0.name === lastName;
      const tensorWord = last ? 0 : d0.outBase - (d0.tile?.group0 ?? 0);
      for (let oy0 = 0; oy0 < d0.oh; oy0 += h) {
        const oy1 = Math.min(d0.oh, oy0 + h);
        const [iy0, iy1] = inRows(oy0, oy1);
        const inWords = (iy1 - iy0) * d0.iw * d0.ig;
        const e0 = iy0 * d0.iw * d0.inChannels;
        const e1 = iy1 * d0.iw * d0.inChannels;
        const beat0 = Math.floor((e0 * eb) / s.dataBytes);
        const rows = oy1 - oy0;
        const bankNo = bandIndex++ % 2;
        const bank = bankNo * bankWords;
        // The fill waits for the writes of the rows it reads and of the bank's previous band (its output area drains first).
        const after = 1 + Math.max(bankLast[bankNo]!, fromInput ? -1 : writerOf(layer.input, iy0, iy1), layer.op === 'add' ? writerOf(layer.with, iy0, iy1) : -1);
        tiles.forEach((t, k) => {
          const g0 = t.tile?.group0 ?? 0;
          layers.push({
            d: Object.freeze({
              ...t, inBase: bank, in2Base: bank + (inputs === 2 ? inWords : 0), outBase: bank + inputs * inWords + g0,
              macs: (t.macs / t.oh) * rows, outputElements: (t.outputElements / t.oh) * rows, taps: (t.taps / t.oh) * rows,
            }),
            band: {
              oy0, oy1, iy0, iy1,
              read: k > 0 ? 'none' : fromInput ? 'input' : inputs === 2 ? 'ab' : 'a',
              readOffset: fromInput ? beat0 * s.dataBytes : (t.inBase + iy0 * t.iw * t.ig) * stride,
              read2Offset: inputs === 2 ? (t.in2Base + iy0 * t.iw * t.ig) * stride : 0,
              readCount: fromInput ? Math.ceil((e1 * eb) / s.dataBytes) - beat0 : inWords,
              readSkip: fromInput ? (e0 * eb - beat0 * s.dataBytes) / eb : 0,
              readElems: fromInput ? e1 - e0 : 0,
              readAfter: k === 0 ? after : 0, reuseWords: false,
              write: k === tiles.length - 1, toOutput: last, writeOffset: (tensorWord + oy0 * t.ow * groups) * (last ? actBytes : stride), tensorWord,
            },
          });
        });
        bankLast[bankNo] = layers.length - 1;
        written.set(d0.name, [...(written.get(d0.name) ?? []), { oy0, oy1, at: layers.length - 1 }]);
      }
      i = j;
    }
  }
  // A band whose descriptor two back is a band of the same layer with the same words (and which reads, so it has jobs) finds them in its half.
  layers.forEach((l, i) => {
    const back = layers[i - 2];
    if (back !== undefined && back.d.name === l.d.name && back.d.wBase === l.d.wBase && back.d.pBase === l.d.pBase && l.band.read !== 'none') layers[i] = { ...l, band: { ...l.band, reuseWords: true } };
  });
  const staged: AccelProgram = { ...p, layers: layers.map((l) => l.d) };
  const wl = weightLayout(staged);
  const out = layers.map((l, i) => Object.freeze({ ...l.d, band: Object.freeze({ ...l.band, weightOffset: wl[i]!.offset, paramOffset: l.d.pBase * b.params * s.dataBytes }) }));
  const result: AccelProgram = Object.freeze({ ...p, layers: Object.freeze(out), ...(fits ? {} : { spill: Object.freeze({ actWords: p.actWordsUsed }) }) });
  // The map exists (region sizes are computable) before anything is packed.
  void axiMemoryMap(result);
  return result;
}
