/**
 * The compiler for the AXI build (config.memory 'axi'): the same layer program
 * as compileAccel (one descriptor = one loop nest; the interpreter and the
 * datapath are unchanged), with the weight and parameter ROM limits replaced by
 * the double-buffered buffers' limit: every layer's words must fit half of the
 * on-chip weight buffer (2^(weightAddrBits-1) words) and half of the parameter
 * buffer, because the DMA fills the other half with the next layer's words
 * while this one computes. The whole network's weights live in external memory.
 * Activations stay on chip: the activation RAM check is compileAccel's.
 * A convolution (or dense) layer whose words do not fit a half is split into
 * output-group tiles, each its own descriptor; a layer that cannot be split
 * that way (one output group's words exceed a half, or a depthwise, pooling or
 * add layer) is refused, naming the layer, its need and the configuration.
 */
import type { IntNetwork } from '../model/index.ts';
import { compileAccel } from './compile.ts';
import { fitAccelConfig } from './fitConfig.ts';
import { type AccelConfig, parseAccelConfig } from './config.ts';
import { AccelCompileError } from './errors.ts';
import { layerWords } from './layout.ts';
import { planBands } from './compileSpill.ts';
import type { AccelProgram, LayerDesc } from './program.ts';

/**
 * `opts.tileWords`: tile to at most this many weight words per descriptor (at most a half; tests use it to tile small networks on a given build).
 * `opts.actWords` (spill builds): plan the bands for an activation RAM of this many words (at most the configured one; tests use it to spill small networks on a given build).
 */
export function compileAxi(net: IntNetwork, config: AccelConfig, opts: { readonly tileWords?: number; readonly actWords?: number } = {}): AccelProgram {
  if (config.memory !== 'axi') throw new Error('compileAxi: config.memory must be "axi" (this is a bug)');
  // Compile against unbounded weight/parameter stores (the external memory), then check the halves.
  // With spill the activation RAM's size is the band plan's limit, not the allocation's (compileSpill.ts).
  const spill = config.spill === true;
  const onchip = parseAccelConfig({ ...config, memory: undefined, axiDataBits: undefined, axiMaxBurst: undefined, axiMaxOutstanding: undefined, spill: undefined, weightAddrBits: 16, paramAddrBits: 16, progAddrBits: 10, ...(spill ? { actAddrBits: 20 } : {}) });
  const p = compileAccel(net, onchip);
  const hwHalf = 2 ** (config.weightAddrBits - 1);
  if (opts.tileWords !== undefined && (!Number.isInteger(opts.tileWords) || opts.tileWords < 1 || opts.tileWords > hwHalf)) throw new RangeError(`compileAxi: tileWords ${opts.tileWords} must be an integer from 1 to ${hwHalf} (half of the weight buffer)`);
  const wHalf = opts.tileWords ?? hwHalf;
  const pHalf = 2 ** (config.paramAddrBits - 1);
  const L = config.lanes;
  const layers: LayerDesc[] = [];
  p.layers.forEach((d, i) => {
    const w = layerWords(p, i);
    if (w.weights <= wHalf && w.params <= pHalf) {
      layers.push(d);
      return;
    }
    // Output-group tiles: each tile is its own descriptor (one loop nest over a region of words)
    // whose weight and parameter words fit a half; the tiles of a layer write its one output tensor.
    const groups = d.kind === 'conv' ? Math.min(Math.floor(wHalf / d.wOgStride), pHalf) : 0;
    if (groups < 1) {
      const what = w.weights > wHalf ? `${w.weights} weight words, half of the double-buffered weight buffer holds ${wHalf} (weightAddrBits ${config.weightAddrBits}${wHalf < hwHalf ? `, tiles limited to ${wHalf} words` : ''}; needs >= ${bitsFor(d.kind === 'conv' ? d.wOgStride : w.weights) + 1}${d.kind === 'conv' ? ' to tile it by output groups' : ''})` : `${w.params} parameter words, half of the double-buffered parameter buffer holds ${pHalf} (paramAddrBits ${config.paramAddrBits}; needs >= ${bitsFor(w.params) + 1})`;
      throw new AccelCompileError(d.name, w.weights > wHalf ? 'weight buffer' : 'parameter buffer', `cannot be tiled into the configured buffers: the layer needs ${what}`);
    }
    for (let g0 = 0; g0 < d.og; g0 += groups) {
      const og = Math.min(groups, d.og - g0);
      const chans = Math.min(d.outChannels, (g0 + og) * L) - g0 * L;
      layers.push(Object.freeze({
        ...d, og, outBase: d.outBase + g0, wBase: d.wBase + g0 * d.wOgStride, pBase: d.pBase + g0, outChannels: chans,
        macs: d.oh * d.ow * chans * d.kh * d.kw * d.inChannels, outputElements: d.oh * d.ow * chans, taps: d.oh * d.ow * og * d.kh * d.kw * d.igCount,
        tile: Object.freeze({ group0: g0, groups: d.og, layerOutChannels: d.outChannels }),
      }));
    }
  });
  const tiled: AccelProgram = Object.freeze({ ...p, config, layers: Object.freeze(layers) });
  if (opts.actWords !== undefined && (!spill || !Number.isInteger(opts.actWords) || opts.actWords < 1 || opts.actWords > 2 ** config.actAddrBits)) throw new RangeError(`compileAxi: actWords ${opts.actWords} needs a spill build and must be an integer from 1 to ${2 ** config.actAddrBits} (the activation RAM)`);
  const out = spill ? planBands(net, config, tiled, opts.actWords ?? 2 ** config.actAddrBits) : tiled;
  if (out.layers.length > 2 ** config.progAddrBits) throw new AccelCompileError(out.layers[out.layers.length - 1]!.name, 'layer program', `${out.layers.length} descriptors (output-group tiles${spill ? ' and row bands' : ''} included) need progAddrBits >= ${bitsFor(out.layers.length)}, the accelerator has ${config.progAddrBits}`);
  return out;
}

/** Address bits for n entries. */
const bitsFor = (n: number): number => Math.max(1, Math.ceil(Math.log2(n)));

const AXI_KEYS = ['memory', 'axiDataBits', 'axiMaxBurst', 'axiMaxOutstanding', 'spill'] as const;

/**
 * The smallest AXI configuration for a network: the operand widths and the
 * activation RAM fitted as for the on-chip build (fitAccelConfig), the weight
 * and parameter buffers sized to two halves of the largest layer's words.
 * Fields given in `fixed` are kept (and must still fit).
 */
export function fitAxiConfig(net: IntNetwork, fixed: Readonly<Record<string, unknown>>): AccelConfig {
  // An activation RAM given smaller than the live tensors need: the activations spill (unless spill is set false).
  const ramGiven = typeof fixed['actAddrBits'] === 'number' && fixed['spill'] !== false;
  const onchipFixed = Object.fromEntries(Object.entries(fixed).filter(([k]) => !(AXI_KEYS as readonly string[]).includes(k) && k !== 'weightAddrBits' && k !== 'paramAddrBits' && !(ramGiven && k === 'actAddrBits')));
  const fitted = fitAccelConfig(net, onchipFixed);
  const p = compileAccel(net, fitted);
  let maxW = 1;
  let maxP = 1;
  p.layers.forEach((_, i) => {
    const w = layerWords(p, i);
    maxW = Math.max(maxW, w.weights);
    maxP = Math.max(maxP, w.params);
  });
  const axiFixed = Object.fromEntries(Object.entries(fixed).filter(([k]) => (AXI_KEYS as readonly string[]).includes(k) || k === 'weightAddrBits' || k === 'paramAddrBits' || (ramGiven && k === 'actAddrBits')));
  const c = parseAccelConfig({ ...fitted, loadable: false, weightAddrBits: Math.max(2, bitsFor(maxW) + 1), paramAddrBits: Math.max(2, bitsFor(maxP) + 1), ...axiFixed });
  if (!ramGiven || c.actAddrBits >= fitted.actAddrBits) return c;
  // Spill: the program grows by the row bands; the program buffer is sized to them (unless given).
  const spilled = parseAccelConfig({ ...c, spill: true, progAddrBits: 10 });
  const n = compileAxi(net, spilled).layers.length;
  return parseAccelConfig({ ...spilled, progAddrBits: Math.max(c.progAddrBits, bitsFor(n)), ...('progAddrBits' in fixed ? { progAddrBits: fixed['progAddrBits'] } : {}) });
}
