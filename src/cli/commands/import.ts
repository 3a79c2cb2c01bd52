import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../cliError.ts';
import { ModelError, stringifyModel } from '../../model/index.ts';
import { OnnxError, importOnnx, toIntNetwork } from '../../onnx/index.ts';
import { writeOutput } from './writeOutput.ts';

interface ImportOptions {
  out: string;
  inputShape?: string;
  name?: string;
  dequantize?: boolean;
  inputRange?: string;
}

/** "MIN,MAX" -> a range with MIN < MAX. */
function parseRange(text: string): { min: number; max: number } {
  const parts = text.split(',').map((p) => Number(p.trim()));
  const [min, max] = parts;
  if (parts.length !== 2 || min === undefined || max === undefined || !Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
    throw new CliError(`--input-range "${text}": expected MIN,MAX with MIN < MAX, e.g. -1,1`);
  }
  return { min, max };
}

/** "3,32,32", "3x32x32" or "1,3,32,32" -> numbers. */
function parseShape(text: string): number[] {
  const parts = text.split(/[,x]/).map((p) => p.trim());
  const dims = parts.map(Number);
  if (parts.length < 1 || parts.length > 4 || dims.some((d) => !Number.isInteger(d) || d < 1 || d > 1 << 16)) {
    throw new CliError(`--input-shape "${text}": expected C,H,W (or 1,C,H,W) with positive integers, e.g. 3,32,32`);
  }
  return dims;
}

// pikehdl import: ONNX file -> float network (or integer network for a QDQ/QONNX graph).
export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import an ONNX model: a float graph becomes a float network, a quantized one (QDQ or QONNX Quant) an integer network')
    .argument('<model.onnx>', 'ONNX file (from torch.onnx.export, tf2onnx, Brevitas, ...)')
    .requiredOption('--out <file>', 'network file to write (pikehdl-float-network or pikehdl-int-network JSON)')
    .option('--input-shape <C,H,W>', 'input shape for graphs with dynamic dims (batch is 1)')
    .option('--name <name>', 'network name (default: the graph name)')
    .option('--input-range <MIN,MAX>', 'float range of the input values, for quantize\'s calibration (default 0,1; a quantized input declares its own)')
    .option('--dequantize', 'for a quantized graph, write the float network with dequantized weights instead of the integer network')
    .action((file: string, opts: ImportOptions) => {
      try {
        const inputShape = opts.inputShape === undefined ? undefined : parseShape(opts.inputShape);
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(file);
        } catch (err) {
          throw new CliError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
        const inputRange = opts.inputRange === undefined ? undefined : parseRange(opts.inputRange);
        const g = importOnnx(bytes, file, { ...(inputShape ? { inputShape } : {}), ...(opts.name !== undefined ? { name: opts.name } : {}), ...(inputRange ? { inputRange } : {}) });
        const asInt = g.quant !== undefined && opts.dequantize !== true;
        if (!asInt && /\.int\.json$/i.test(opts.out)) {
          throw new CliError(`--out ${opts.out}: ${g.quant ? '--dequantize writes a float network' : `${basename(file)} is a float graph`}: write a float network and run pikehdl quantize for an integer one`);
        }
        if (asInt && /\.float\.json$/i.test(opts.out)) {
          throw new CliError(`--out ${opts.out}: ${basename(file)} is a quantized graph, which imports as an integer network: name the output .int.json, or add --dequantize for its float network`);
        }
        const net = asInt ? toIntNetwork(g, file) : g.float;
        writeOutput(opts.out, stringifyModel(net));
        const counts = new Map<string, number>();
        for (const l of net.layers) counts.set(l.op, (counts.get(l.op) ?? 0) + 1);
        const ops = [...counts].map(([op, n]) => `${n} ${op}`).join(', ');
        const i = net.input;
        process.stdout.write(`${opts.out}: ${asInt ? 'integer' : 'float'} network "${net.name}", input ${i.height}x${i.width}x${i.channels}, ${net.layers.length} layers (${ops})\n`);
      } catch (err) {
        if (err instanceof OnnxError) throw new CliError(err.message);
        if (err instanceof ModelError || err instanceof RangeError) throw new CliError(err.message.replace(/:\n\s*/, ': ').replace(/\n\s*/g, '; '));
        throw err;
      }
    });
}
