// pikehdl import / export: bad input gives one line naming the file, node and
// rule, and writes nothing; the real binary (bin/pikehdl.mjs) exits 2 on it;
// import -> quantize -> run works from an ONNX file.
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { registerImport } from '../../src/cli/commands/import.ts';
import { registerExport } from '../../src/cli/commands/export.ts';
import { CliError } from '../../src/cli/cliError.ts';
import { OutputError } from '../../src/output/index.ts';
import { parseFloatNetwork, parseIntNetwork } from '../../src/model/index.ts';
import { DT, encodeModel, type EncodeNode } from '../../src/onnx/proto.ts';
import { captureCli } from '../support/captureCli.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fx = (f: string): string => join(root, 'test/fixtures/onnx', f);
const dir = mkdtempSync(join(tmpdir(), 'pikehdl-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]): Promise<string> => captureCli([registerImport, registerExport], args);

/** A one-conv graph with one extra node after it, for the refusal cases. */
function convPlus(extra: EncodeNode | undefined, conv: Partial<EncodeNode['attributes']> = {}): Uint8Array {
  const nodes: EncodeNode[] = [{ opType: 'Conv', name: 'conv', inputs: ['input', 'w'], outputs: [extra ? 'c' : 'output'], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], ...conv } }];
  if (extra) nodes.push({ ...extra, inputs: ['c', ...extra.inputs], outputs: ['output'] });
  return encodeModel({
    graphName: 'g', opset: 13, input: { name: 'input', dims: [1, 1, 6, 6] }, output: { name: 'output', dims: [1, 2, 6, 6] }, nodes,
    initializers: [{ name: 'w', dims: [2, 1, 3, 3], dataType: DT.FLOAT, values: new Array<number>(18).fill(0.5) }, { name: 'lo', dims: [], dataType: DT.FLOAT, values: [-1] }, { name: 'hi', dims: [], dataType: DT.FLOAT, values: [1] }],
    metadata: new Map(),
  });
}

const write = (name: string, bytes: Uint8Array | string): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

/** Run a command that must fail: its one-line message; nothing may be written. */
async function refused(args: string[], out: string): Promise<string> {
  const before = readdirSync(dir).length;
  const err = await cli(...args, '--out', out).then(
    () => undefined,
    (e: unknown) => e,
  );
  // A refused output path is the output rules' OutputError; everything else the command's CliError.
  expect(err instanceof CliError || err instanceof OutputError, `${args.join(' ')}: ${String(err)}`).toBe(true);
  const msg = (err as Error).message;
  expect(msg).not.toContain('\n');
  expect(readdirSync(dir).length).toBe(before); // no output, no temp file
  return msg;
}

describe('pikehdl import: bad input', () => {
  const out = join(dir, 'out.json');
  it('each refusal is one line naming the problem, and writes nothing', async () => {
    const full = readFileSync(fx('separable_16.onnx'));
    expect(await refused(['import', write('trunc.onnx', full.subarray(0, full.length - 100))], out)).toMatch(/trunc\.onnx: not an ONNX model .*truncated/);
    expect(await refused(['import', write('empty.onnx', '')], out)).toMatch(/empty\.onnx: not an ONNX model/);
    expect(await refused(['import', join(root, 'package.json')], out)).toMatch(/package\.json: not an ONNX model/);
    expect(await refused(['import', join(dir, 'missing.onnx')], out)).toMatch(/missing\.onnx: cannot read: ENOENT/);
    const sig = await refused(['import', write('sigmoid.onnx', convPlus({ opType: 'Sigmoid', name: 'act', inputs: [], outputs: [] }))], out);
    expect(sig).toMatch(/^Sigmoid "act": op Sigmoid is not supported \(supported: Conv, BatchNormalization, Relu, Clip, PRelu, LeakyRelu, Add, .*Gemm, MatMul.*; on constants only \(shape arithmetic\): Constant, Shape/);
    expect(await refused(['import', write('mul.onnx', convPlus({ opType: 'Mul', name: 'scale', inputs: ['hi'], outputs: [] }))], out)).toMatch(/^Mul "scale": Mul on an activation tensor is not supported: pikehdl folds it on constants only/);
    const maxPool = (attributes: EncodeNode['attributes']): EncodeNode => ({ opType: 'MaxPool', name: 'mp', inputs: [], outputs: [], attributes: { kernel_shape: [3, 3], ...attributes } });
    expect(await refused(['import', write('mp_dil.onnx', convPlus(maxPool({ dilations: [2, 2] })))], out)).toMatch(/^MaxPool "mp": dilations \[2, 2\] are not supported/);
    expect(await refused(['import', write('mp_pad.onnx', convPlus(maxPool({ pads: [3, 3, 3, 3] })))], out)).toMatch(/^MaxPool "mp": padding 3 is not below the kernel size 3/);
    expect(await refused(['import', write('mp_asym.onnx', convPlus(maxPool({ pads: [0, 0, 1, 1] })))], out)).toMatch(/^MaxPool "mp": asymmetric padding \[0, 0, 1, 1\] is not representable/);
    expect(await refused(['import', write('mp_ceil.onnx', convPlus(maxPool({ strides: [2, 2], ceil_mode: 1 })))], out)).toMatch(/^MaxPool "mp": ceil_mode = 1 changes the output size here/);
    const withIndices = encodeModel({
      graphName: 'g', opset: 13, input: { name: 'input', dims: [1, 1, 6, 6] }, output: { name: 'output', dims: [1, 1, 3, 3] },
      nodes: [{ opType: 'MaxPool', name: 'mp', inputs: ['input'], outputs: ['output', 'idx'], attributes: { kernel_shape: [2, 2], strides: [2, 2] } }],
      initializers: [], metadata: new Map(),
    });
    expect(await refused(['import', write('mp_idx.onnx', withIndices)], out)).toMatch(/^MaxPool "mp": the Indices output is not supported/);
    expect(await refused(['import', write('ap_cip.onnx', convPlus({ opType: 'AveragePool', name: 'ap', inputs: [], outputs: [], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 1 } }))], out)).toMatch(/^AveragePool "ap": count_include_pad = 1 is not supported/);
    expect(await refused(['import', fx('dilated.onnx')], out)).toMatch(/Conv "\/conv\/Conv": dilations \[2, 2\] are not supported/);
    expect(await refused(['import', write('asym.onnx', convPlus(undefined, { pads: [0, 0, 1, 1] }))], out)).toMatch(/Conv "conv": asymmetric padding \[0, 0, 1, 1\] is not representable/);
    expect(await refused(['import', write('attr.onnx', convPlus(undefined, { foo: 1 }))], out)).toMatch(/Conv "conv": attribute "foo" is not supported \(supported: auto_pad, dilations/);
    expect(await refused(['import', write('clip.onnx', convPlus({ opType: 'Clip', name: 'clip', inputs: ['lo', 'hi'], outputs: [] }))], out)).toMatch(/Clip "clip": Clip to \[-1, 1\] is not representable/);
    expect(await refused(['import', fx('dynamic_hw.onnx')], out)).toMatch(/dynamic_hw\.onnx: input "input" has dynamic dims \[N, 4, H, W\]: give --input-shape C,H,W/);
    expect(await refused(['import', fx('dynamic_hw.onnx'), '--input-shape', '4,x'], out)).toMatch(/--input-shape "4,x": expected C,H,W/);
    expect(await refused(['import', fx('heads_6.onnx'), '--input-shape', '3,6,6'], out)).toMatch(/--input-shape gives 3 for dim 1 of input "input", which the file fixes at 4/);
    expect(await refused(['import', fx('heads_6.onnx')], join(dir, 'heads.int.json'))).toMatch(/heads_6\.onnx is a float graph: write a float network and run pikehdl quantize/);
    expect(await refused(['import', fx('qdq_small.onnx')], join(dir, 'q.float.json'))).toMatch(/qdq_small\.onnx is a quantized graph, which imports as an integer network: name the output \.int\.json, or add --dequantize/);
    expect(await refused(['import', fx('heads_6.onnx'), '--input-range', '1,0'], out)).toMatch(/--input-range "1,0": expected MIN,MAX with MIN < MAX/);
    mkdirSync(join(dir, 'adir'));
    expect(await refused(['import', fx('heads_6.onnx')], join(dir, 'adir'))).toMatch(/adir: is a folder/);
  });

  it('a quantized graph: an integer network, or with --dequantize its float network', async () => {
    const i = join(dir, 'q.int.json');
    const f = join(dir, 'q.float.json');
    expect(await cli('import', fx('qdq_small.onnx'), '--out', i)).toMatch(/integer network "qdq_small", input 16x16x3, 4 layers/);
    expect(parseIntNetwork(readFileSync(i, 'utf8')).input.tensor.bits).toBe(8);
    expect(await cli('import', fx('qdq_small.onnx'), '--dequantize', '--out', f)).toMatch(/float network "qdq_small"/);
    expect(parseFloatNetwork(readFileSync(f, 'utf8')).layers[0]).toMatchObject({ weightBits: 8, activationBits: 8 });
    rmSync(i);
    rmSync(f);
  });

  it('dynamic dims import with --input-shape; --input-range sets the input range', async () => {
    const o = join(dir, 'dyn.float.json');
    expect(await cli('import', fx('dynamic_hw.onnx'), '--input-shape', '4,10,12', '--input-range', '-2,2.5', '--out', o)).toMatch(/float network "dynamic_hw", input 10x12x4, 3 layers/);
    expect(parseFloatNetwork(readFileSync(o, 'utf8')).input).toEqual({ height: 10, width: 12, channels: 4, range: { min: -2, max: 2.5 } });
    rmSync(o);
  });
});

describe('pikehdl export', () => {
  it('writes ONNX that imports back to the same file; refuses unknown formats', async () => {
    const a = join(dir, 'sep.float.json');
    const o = join(dir, 'sep.onnx');
    const b = join(dir, 'sep2.float.json');
    await cli('import', fx('separable_16.onnx'), '--out', a);
    expect(await cli('export', '--in', a, '--out', o, '--format', 'onnx')).toMatch(/ONNX graph of float network "separable_16", 9 layers, \d+ parameters \(FLOAT\)\n$/);
    await cli('import', o, '--out', b);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
    expect(await refused(['export', '--in', a, '--format', 'tflite'], join(dir, 'x.onnx'))).toMatch(/--format tflite: unknown format \(supported: onnx\)/);
    for (const f of [a, o, b]) rmSync(f);
  });

  it('an integer network exports as a QDQ graph that imports back as an integer network', async () => {
    const i = join(dir, 'q.int.json');
    const o = join(dir, 'q.qdq.onnx');
    const back = join(dir, 'q2.int.json');
    await cli('import', fx('qdq_small.onnx'), '--out', i);
    expect(await cli('export', '--in', i, '--out', o)).toMatch(/QDQ ONNX graph of integer network "qdq_small", 4 layers/);
    expect(await refused(['export', '--in', i, '--float64'], join(dir, 'x.onnx'))).toMatch(/--float64: applies to float networks only/);
    await cli('import', o, '--out', back);
    expect(parseIntNetwork(readFileSync(back, 'utf8')).layers.map((l) => l.op)).toEqual(['conv2d', 'depthwiseConv2d', 'avgPool', 'dense']);
    for (const f of [i, o, back]) rmSync(f);
  });
});

describe('the pikehdl binary', () => {
  const bin = join(root, 'bin/pikehdl.mjs');
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });

  it('--version prints package.json\'s version', () => {
    const r = run('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('a bad ONNX file: exit code 2, one line on stderr', () => {
    const r = run('import', fx('dilated.onnx'), '--out', join(dir, 'never.json'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^pikehdl: Conv "\/conv\/Conv"/);
  });

  it('import -> quantize -> run on a torchvision-style model', () => {
    const f = join(dir, 'sep.float.json');
    const i = join(dir, 'sep.int.json');
    const input = write('input.json', JSON.stringify({ values: Array.from({ length: 16 * 16 * 3 }, (_, k) => (k % 17) / 17) }));
    expect(run('import', fx('separable_16.onnx'), '--out', f).status).toBe(0);
    const q = run('quantize', '--in', f, '--out', i, '--recipe', 'pikelpn');
    expect(q.status, q.stderr).toBe(0);
    const r = run('run', '--model', i, '--input', input, '--float', f, '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { output: number[]; float: number[] };
    expect(report.output).toHaveLength(10);
    expect(report.float).toHaveLength(10);
    expect(parseIntNetwork(readFileSync(i, 'utf8')).layers).toHaveLength(9);
  });
});
