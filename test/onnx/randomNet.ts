// Random valid float networks for the ONNX properties: every layer kind, every
// activation, batch norm and bias present or not, padded max pools, branches (a layer reading an
// earlier one), residual adds, dense after a 4-D map (the flatten layout), and
// dense after dense. Structure and values come from one seed (fast-check draws
// it and prints it on failure).
import { seededRandom } from '../../src/quant/index.ts';
import { validateFloatNetwork, walkNetwork, type FloatNetwork } from '../../src/model/index.ts';

export interface RandomNetOptions {
  /** Round every parameter to fp32 (what an ONNX FLOAT tensor holds). */
  readonly fp32: boolean;
}

export function randomFloatNet(seed: number, opts: RandomNetOptions): FloatNetwork {
  const r = seededRandom(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r.next() * (hi - lo + 1));
  const pick = <T>(a: readonly T[]): T => a[int(0, a.length - 1)]!;
  const val = (s: number): number => (opts.fp32 ? Math.fround(s * r.gaussian()) : s * r.gaussian());
  const vec = (n: number, s: number): number[] => Array.from({ length: n }, () => val(s));
  const pos = (n: number): number[] => Array.from({ length: n }, () => (opts.fp32 ? Math.fround(r.uniform(0.2, 1.5)) : r.uniform(0.2, 1.5)));

  const input = { height: int(3, 9), width: int(3, 9), channels: int(1, 4) };
  type Shape = { h: number; w: number; c: number };
  const layers: Record<string, unknown>[] = [];
  const shapes: { name: string; s: Shape }[] = [{ name: 'input', s: { h: input.height, w: input.width, c: input.channels } }];
  const activation = (c: number): Record<string, unknown> | undefined => {
    switch (int(0, 5)) {
      case 0: return undefined;
      case 1: return { kind: 'relu' };
      case 2: return { kind: 'relu6' };
      case 3: return { kind: 'prelu', slopes: vec(c, 0.3) };
      case 4: return { kind: 'prelu', slopes: new Array<number>(c).fill(pick([0.1, 0.2, 0.01])) }; // LeakyRelu
      default: return { kind: 'none' };
    }
  };
  const weighted = (l: Record<string, unknown>, c: number): void => {
    if (r.next() < 0.6) l.bias = vec(c, 0.1);
    if (r.next() < 0.5) {
      l.batchNorm = { gamma: vec(c, 1), beta: vec(c, 0.2), mean: vec(c, 0.2), variance: pos(c), ...(r.next() < 0.5 ? { epsilon: pick([1e-5, 1e-3, 0.001]) } : {}) };
    }
    const a = activation(c);
    if (a !== undefined) l.activation = a;
    if (r.next() < 0.3) l.weightBits = int(2, 8);
    if (r.next() < 0.3) l.activationBits = int(2, 8);
  };
  const count = int(1, 6);
  let dense = false;
  for (let i = 0; i < count || !dense; i++) {
    const name = `l${i}`;
    const prev = shapes[shapes.length - 1]!;
    // A branch: read an earlier 4-D tensor sometimes.
    const four = shapes.filter((x) => !(x.s.h === 1 && x.s.w === 1 && x.name !== 'input'));
    const src = r.next() < 0.25 && four.length > 0 ? pick(four) : prev;
    const l: Record<string, unknown> = { name, op: '' };
    if (src !== prev) l.input = src.name;
    let out: Shape;
    // After a dense layer the map is 1x1xF: convolutions, pooling and adds still apply (ONNX needs a Reshape back to rank 4).
    const choice = i >= count ? 'dense' : pick(['conv2d', 'conv2d', 'depthwiseConv2d', 'avgPool', 'maxPool', 'add', 'dense']);
    const s = src.s;
    const maxK = Math.min(s.h, s.w, 5);
    if (choice === 'conv2d' || choice === 'depthwiseConv2d') {
      const k = int(1, Math.max(1, maxK));
      const padding = int(0, k - 1);
      const stride = int(1, 2);
      const oc = choice === 'conv2d' ? int(1, 6) : s.c;
      l.op = choice;
      if (choice === 'conv2d') l.outChannels = oc;
      l.kernel = k;
      if (stride !== 1 || r.next() < 0.2) l.stride = stride;
      if (padding !== 0 || r.next() < 0.2) l.padding = padding;
      l.weights = vec(choice === 'conv2d' ? oc * k * k * s.c : k * k * s.c, 0.5);
      out = { h: Math.floor((s.h + 2 * padding - k) / stride) + 1, w: Math.floor((s.w + 2 * padding - k) / stride) + 1, c: oc };
      weighted(l, oc);
    } else if (choice === 'avgPool') {
      l.op = 'avgPool';
      if (r.next() < 0.4) {
        l.kernel = 'global';
        out = { h: 1, w: 1, c: s.c };
      } else {
        const k = int(1, 3);
        const stride = int(1, k);
        // Padding leaves the padded positions out of the average (ONNX's default count_include_pad = 0).
        const padding = int(0, k - 1);
        l.kernel = k;
        if (stride !== k || r.next() < 0.3) l.stride = stride;
        if (padding !== 0 || r.next() < 0.1) l.padding = padding;
        out = { h: Math.floor((s.h + 2 * padding - k) / stride) + 1, w: Math.floor((s.w + 2 * padding - k) / stride) + 1, c: s.c };
      }
    } else if (choice === 'maxPool') {
      // Padding (never winning, ONNX's -inf) on possibly signed inputs: the case where a zero pad would differ.
      l.op = 'maxPool';
      const k = int(1, 3);
      const padding = int(0, k - 1);
      const stride = int(1, Math.max(1, k));
      l.kernel = k;
      if (stride !== k || r.next() < 0.3) l.stride = stride;
      if (padding !== 0 || r.next() < 0.2) l.padding = padding;
      out = { h: Math.floor((s.h + 2 * padding - k) / stride) + 1, w: Math.floor((s.w + 2 * padding - k) / stride) + 1, c: s.c };
    } else if (choice === 'add') {
      const same = shapes.filter((x) => x.name !== src.name && x.s.h === s.h && x.s.w === s.w && x.s.c === s.c && x.name !== 'input');
      if (same.length === 0) {
        i--;
        continue;
      }
      l.op = 'add';
      l.with = pick(same).name;
      const a = activation(s.c);
      if (a !== undefined) l.activation = a;
      out = s;
    } else {
      const f = int(1, 8);
      l.op = 'dense';
      l.outFeatures = f;
      l.weights = vec(f * s.h * s.w * s.c, 0.4);
      weighted(l, f);
      out = { h: 1, w: 1, c: f };
      dense = true;
    }
    if (out.h < 1 || out.w < 1) {
      i--;
      continue;
    }
    layers.push(l);
    shapes.push({ name, s: out });
  }
  const net = { format: 'pikehdl-float-network', version: 1, name: `random-${seed}`, input: { ...input, ...(r.next() < 0.3 ? { range: { min: -1, max: 1 } } : {}) }, layers };
  const checked = validateFloatNetwork(net, `random network ${seed}`);
  if (walkNetwork(checked).issues.length > 0) throw new Error('randomFloatNet: invalid (bug in the generator)');
  return checked;
}
