import type { Command } from 'commander';
import { CliError } from '../cliError.ts';
import { out } from '../io.ts';
import { ModelError, checkRunNeeds, floatParamArray, floatRunNeeds, formatIssues, parseFloatNetwork, parseJsonText, readTextFile, stringifyModel } from '../../model/index.ts';
import { checkOutputFile, sameFile, writeOutputFile } from '../../output/index.ts';
import { RECIPE_NAMES, compile, getRecipe, withTechniques } from '../../quant/index.ts';
import { z } from 'zod';

interface QuantizeOptions {
  in: string;
  out: string;
  recipe: string;
  quantnorm: boolean;
  doubleQuant: boolean;
  dhq: boolean;
  calibration?: string;
}

const calibrationSchema = z.object({ inputs: z.array(floatParamArray).min(1) }).strict();

// pikehdl quantize: float network file -> integer network file (written atomically).
export function registerQuantize(program: Command): void {
  program
    .command('quantize')
    .description('Compile a float network file into an integer network file')
    .requiredOption('--in <file>', 'float network (pikehdl-float-network JSON)')
    .requiredOption('--out <file>', 'integer network to write (pikehdl-int-network JSON)')
    .option('--recipe <name>', `quantization recipe: ${RECIPE_NAMES.filter((n) => n !== 'float32').join(', ')}`, 'pikelpn')
    .option('--no-quantnorm', 'keep batch norm in fp32 (ablation)')
    .option('--no-double-quant', 'keep quantization scales in fp32 (ablation)')
    .option('--no-dhq', 'one weight scheme for every layer (ablation)')
    .option('--calibration <file>', 'JSON {"inputs": [[...], ...]} of float inputs for activation ranges (default: 16 seeded uniform inputs)')
    .action((opts: QuantizeOptions) => {
      try {
        let recipe;
        try {
          recipe = getRecipe(opts.recipe);
        } catch (err) {
          throw new CliError(`--recipe: ${(err as Error).message}`);
        }
        if (recipe.mac === 'float') throw new CliError(`--recipe: "${recipe.name}" is full precision: there is nothing to quantize`);
        recipe = withTechniques(recipe, {
          ...(opts.quantnorm ? {} : { quantNorm: false }),
          ...(opts.doubleQuant ? {} : { doubleQuant: false }),
          ...(opts.dhq ? {} : { dhq: false }),
        });
        // Refuse an output path we may not write before any work; never overwrite an input.
        checkOutputFile(opts.out);
        for (const [opt, file] of [['--in', opts.in], ['--calibration', opts.calibration]] as const) {
          if (file !== undefined && sameFile(file, opts.out)) throw new CliError(`--out ${opts.out} is the ${opt} file: refusing to overwrite an input; choose another output path`);
        }
        const net = parseFloatNetwork(readTextFile(opts.in), opts.in);
        checkRunNeeds(floatRunNeeds(net), opts.in, 'quantizing it (calibration runs the float network)');
        let calibration: Float64Array[] | undefined;
        if (opts.calibration !== undefined) {
          const r = calibrationSchema.safeParse(parseJsonText(readTextFile(opts.calibration), opts.calibration));
          if (!r.success) throw new CliError(`${opts.calibration}: ${formatIssues(r.error.issues).join('; ')}`);
          const n = net.input.height * net.input.width * net.input.channels;
          const bad = r.data.inputs.findIndex((a) => a.length !== n);
          if (bad >= 0) throw new CliError(`${opts.calibration}: inputs[${bad}]: expected ${n} numbers for the ${net.input.height}x${net.input.width}x${net.input.channels} input of "${net.name}", got ${r.data.inputs[bad]!.length}`);
          calibration = r.data.inputs.map((a) => Float64Array.from(a));
        }
        let result;
        try {
          result = compile(net, recipe, calibration ? { calibration } : {});
        } catch (e) {
          // The compiler names the layer; the user needs the file too.
          if (e instanceof ModelError) throw new CliError(`${opts.in}${opts.calibration === undefined ? '' : ` (calibrated with ${opts.calibration})`}: ${e.message}`);
          throw e;
        }
        writeOutputFile(opts.out, stringifyModel(result.net));
        const t = recipe.techniques;
        out(
          `${opts.out}: ${result.net.layers.length} layers, recipe ${recipe.name} (quantNorm ${t.quantNorm ? 'on' : 'off'}, doubleQuant ${t.doubleQuant ? 'on' : 'off'}, dhq ${t.dhq ? 'on' : 'off'})\n`,
        );
        for (const l of result.layers) {
          const scheme = l.scheme ? ` weights ${l.scheme.granularity}/${l.scheme.clipping}` : '';
          out(`  ${l.name.padEnd(12)} ${l.op.padEnd(16)} error bound ${l.layerBound.toFixed(3)} LSB (this layer)${scheme}\n`);
        }
      } catch (err) {
        if (err instanceof ModelError || err instanceof RangeError) throw new CliError(err.message.replace(/:\n\s*/, ': ').replace(/\n\s*/g, '; '));
        throw err;
      }
    });
}
