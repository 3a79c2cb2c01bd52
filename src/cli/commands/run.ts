import type { Command } from 'commander';
import { CliError } from '../cliError.ts';
import { out } from '../io.ts';
import {
  ModelError, checkRunNeeds, floatRunNeeds, intRunNeeds, parseFloatNetwork, parseInputFile, parseIntNetwork, readTextFile, tensorShape,
  type InputFile, type IntNetwork,
} from '../../model/index.ts';
import { minOf, maxOf, shapeName } from '../../arith/index.ts';
import { quantizeInput, runFloat, runInt } from '../../ref/index.ts';

interface RunOptions {
  model: string;
  input: string;
  float?: string;
  json?: boolean;
}

const argmax = (a: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
};

/**
 * The input file against the network it feeds: the number of values, and
 * integers inside the input tensor's range (checked here, on the JSON
 * numbers, before they are stored as int32, where 2^31 would wrap).
 */
function checkInput(input: InputFile, net: IntNetwork, file: string, modelFile: string): void {
  const n = net.input.height * net.input.width * net.input.channels;
  const [key, values] = 'values' in input ? ['values', input.values] as const : ['integers', input.integers] as const;
  if (values.length !== n) {
    throw new ModelError(file, [`${key}: expected ${n} numbers for the ${net.input.height}x${net.input.width}x${net.input.channels} input of ${modelFile}, got ${values.length}`]);
  }
  if (key === 'integers') {
    const s = tensorShape(net.input.tensor);
    const lo = Number(minOf(s));
    const hi = Number(maxOf(s));
    const bad = values.findIndex((v) => v < lo || v > hi);
    if (bad >= 0) throw new ModelError(file, [`integers[${bad}]: ${values[bad]} is outside the input tensor's ${shapeName(s)} range [${lo}, ${hi}]`]);
  }
}

// pikehdl run: execute an integer network on one input; optionally compare with the float network.
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run an integer network file on one input and print its output')
    .requiredOption('--model <file>', 'integer network (pikehdl-int-network JSON)')
    .requiredOption('--input <file>', 'JSON {"values": [...]} (real, quantized with the model input scale) or {"integers": [...]}')
    .option('--float <file>', 'float network to compare against (prints the error)')
    .option('--json', 'print JSON instead of text')
    .action((opts: RunOptions) => {
      try {
        const net = parseIntNetwork(readTextFile(opts.model), opts.model);
        checkRunNeeds(intRunNeeds(net), opts.model);
        const input = parseInputFile(readTextFile(opts.input), opts.input);
        checkInput(input, net, opts.input, opts.model);
        const q = 'values' in input ? quantizeInput(net.input.tensor, input.values) : Int32Array.from(input.integers);
        const run = runInt(net, q);
        const last = net.layers[net.layers.length - 1]!;
        const scale = last.output.scale;
        const real = Array.from(run.output, (v) => v * scale);
        const report: Record<string, unknown> = { output: Array.from(run.output), scale, real, argmax: argmax(run.output) };
        if (opts.float !== undefined) {
          const fnet = parseFloatNetwork(readTextFile(opts.float), opts.float);
          checkRunNeeds(floatRunNeeds(fnet), opts.float);
          const fin = fnet.input.height * fnet.input.width * fnet.input.channels;
          if (fin !== net.input.height * net.input.width * net.input.channels) {
            throw new CliError(`--float ${opts.float}: its input has ${fin} values, the integer network's ${net.input.height * net.input.width * net.input.channels}`);
          }
          const x = 'values' in input ? Float64Array.from(input.values) : Float64Array.from(input.integers, (v) => v * net.input.tensor.scale);
          const f = runFloat(fnet, x).output;
          if (f.length !== real.length) throw new CliError(`--float: the float network has ${f.length} outputs, the integer one ${real.length}`);
          const err = real.map((v, i) => Math.abs(v - f[i]!));
          report.float = Array.from(f);
          report.maxAbsError = Math.max(...err);
          report.maxAbsErrorLsb = Math.max(...err) / scale;
          report.floatArgmax = argmax(f);
        }
        if (opts.json) {
          out(`${JSON.stringify(report)}\n`);
          return;
        }
        out(`output (${last.output.signed ? 's' : 'u'}${last.output.bits}, scale ${scale.toPrecision(6)}): ${Array.from(run.output).join(' ')}\n`);
        out(`real: ${real.map((v) => v.toFixed(4)).join(' ')}\nargmax: ${report.argmax as number}\n`);
        if (opts.float !== undefined) {
          out(`float: ${(report.float as number[]).map((v) => v.toFixed(4)).join(' ')}\nargmax (float): ${report.floatArgmax as number}\n`);
          out(`max |integer - float| = ${(report.maxAbsError as number).toExponential(3)} (${(report.maxAbsErrorLsb as number).toFixed(3)} LSB)\n`);
        }
      } catch (err) {
        if (err instanceof ModelError || err instanceof RangeError) throw new CliError(err.message.replace(/:\n\s*/, ': ').replace(/\n\s*/g, '; '));
        throw err;
      }
    });
}
