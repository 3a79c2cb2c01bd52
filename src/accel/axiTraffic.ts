/**
 * The AXI build's traffic and cycle model, from the layer program alone: the
 * bytes the DMA reads (every descriptor, every weight and parameter word once,
 * the input once, each word padded to whole beats; with spill, per band its
 * input rows and per descriptor its words, as the beats holding their densely packed bytes) and
 * writes (the output tensor; with spill, every band's output, likewise), which the RTL's counters and the memory model's own count must
 * equal exactly; and the compute cycles (the on-chip cycle model: the layer
 * engine is unchanged). Stall cycles depend on the memory's latency and
 * bandwidth and are measured, not modelled.
 */
import { axiMemoryMap, region, weightLayout } from './axiMemoryMap.ts';
import { axiSettings, wordBeats } from './axiSettings.ts';
import { actPacking } from './actPacking.ts';
import { layerWords } from './layout.ts';
import { programPerformance } from './performance.ts';
import type { AccelProgram } from './program.ts';

export interface AxiTraffic {
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly computeCycles: number;
}

export function axiTraffic(p: AccelProgram): AxiTraffic {
  const map = axiMemoryMap(p);
  let read = 0;
  let written = 0;
  if (p.config.spill === true) {
    // A spill build reads per descriptor: its weight and parameter words (a layer's bands each read
    // them again), then its band's input; it writes each band's output (words padded to beats).
    const s = axiSettings(p.config);
    const b = wordBeats(p.config);
    const wl = weightLayout(p);
    const pk = actPacking(p.config);
    // A band's words in the acts region move as the whole beats that hold their packed bytes.
    const beats = (offset: number, words: number): number => pk.span(offset / pk.stride, words).beats;
    read = region(map, 'program').bytes;
    p.layers.forEach((d, i) => {
      const band = d.band!;
      if (!band.reuseWords) read += wl[i]!.bytes + layerWords(p, i).params * b.params * s.dataBytes;
      if (band.read === 'input') read += band.readCount * s.dataBytes;
      else if (band.read !== 'none') read += (beats(band.readOffset, band.readCount) + (band.read === 'ab' ? beats(band.read2Offset, band.readCount) : 0)) * s.dataBytes;
      const outWords = (band.oy1 - band.oy0) * d.ow * (d.tile?.groups ?? d.og);
      if (band.write) written += (band.toOutput ? outWords * b.acts : beats(band.writeOffset, outWords)) * s.dataBytes;
    });
  } else for (const r of map.regions) (r.access === 'read' ? (read += r.bytes) : (written += r.bytes));
  return { bytesRead: read, bytesWritten: written, computeCycles: programPerformance(p).cycles };
}
