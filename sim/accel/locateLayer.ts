/**
 * Which layer the RTL first gets wrong, from the RTL itself: a loadable
 * accelerator (one build for the configuration) runs the network's prefixes
 * (layers 0..j, the last one streaming its tensor out) and each prefix's
 * output is compared with the reference's tensor of layer j. The first
 * differing layer, pixel and channel are reported.
 */
import { type AccelConfig, compileAccel } from '../../src/accel/index.ts';
import type { IntNetwork } from '../../src/model/index.ts';
import type { Simulator } from '../startSimulator.ts';
import { acceleratorFrame, decodeFrame, loadFrame } from './acceleratorSim.ts';

export interface LayerDifference {
  readonly layer: number;
  readonly name: string;
  readonly y: number;
  readonly x: number;
  readonly channel: number;
  readonly rtl: number;
  readonly reference: number;
}

/** `reference(name)` gives the expected tensor (NHWC) of a layer; `sim` runs a loadable build of `config`. */
export async function firstDifferingLayer(
  sim: Simulator,
  config: AccelConfig,
  net: IntNetwork,
  input: Int32Array,
  reference: (name: string) => Int32Array,
): Promise<LayerDifference | undefined> {
  if (!config.loadable) throw new Error('firstDifferingLayer needs a loadable accelerator configuration');
  for (let j = 0; j < net.layers.length; j++) {
    const prefix: IntNetwork = { ...net, layers: net.layers.slice(0, j + 1) };
    const program = compileAccel(prefix, config);
    await sim.run(loadFrame(program));
    const got = decodeFrame(program, await sim.run(acceleratorFrame(program, input))).beats.output;
    const want = reference(net.layers[j]!.name);
    const bad = want.findIndex((v, i) => v !== got[i]);
    if (bad >= 0) {
      const d = program.layers[j]!;
      const pix = Math.floor(bad / d.outChannels);
      return { layer: j, name: d.name, y: Math.floor(pix / d.ow), x: pix % d.ow, channel: bad % d.outChannels, rtl: got[bad]!, reference: want[bad]! };
    }
  }
  return undefined;
}
