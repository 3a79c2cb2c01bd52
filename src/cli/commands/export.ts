import type { Command } from 'commander';
import { CliError } from '../cliError.ts';
import { FLOAT_NETWORK_FORMAT, INT_NETWORK_FORMAT, ModelError, parseJsonText, readTextFile, validateFloatNetwork, validateIntNetwork } from '../../model/index.ts';
import { OnnxError, exportFloatOnnx, exportIntOnnx } from '../../onnx/index.ts';
import { writeOutput } from './writeOutput.ts';

interface ExportOptions {
  in: string;
  out: string;
  format: string;
  float64?: boolean;
}

// pikehdl export: float network -> ONNX graph; integer network -> QDQ ONNX graph.
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Export a network file as ONNX (float network: float graph; integer network: QDQ graph), for Netron or ONNX Runtime')
    .requiredOption('--in <file>', 'pikehdl-float-network or pikehdl-int-network JSON')
    .requiredOption('--out <file.onnx>', 'ONNX file to write')
    .option('--format <format>', 'output format (onnx)', 'onnx')
    .option('--float64', 'float network: write DOUBLE tensors, exact for any parameter (ONNX Runtime cannot run them)')
    .action((opts: ExportOptions) => {
      try {
        if (opts.format !== 'onnx') throw new CliError(`--format ${opts.format}: unknown format (supported: onnx)`);
        const value = parseJsonText(readTextFile(opts.in), opts.in);
        const format = typeof value === 'object' && value !== null && 'format' in value ? (value as { format: unknown }).format : undefined;
        if (format === INT_NETWORK_FORMAT) {
          if (opts.float64) throw new CliError('--float64: applies to float networks only (an integer network exports as QDQ)');
          const net = validateIntNetwork(value, opts.in);
          const bytes = exportIntOnnx(net);
          writeOutput(opts.out, bytes);
          process.stdout.write(`${opts.out}: QDQ ONNX graph of integer network "${net.name}", ${net.layers.length} layers, ${bytes.length} bytes\n`);
          return;
        }
        if (format !== FLOAT_NETWORK_FORMAT) throw new CliError(`${opts.in}: format: expected "${FLOAT_NETWORK_FORMAT}" or "${INT_NETWORK_FORMAT}"`);
        const net = validateFloatNetwork(value, opts.in);
        const r = exportFloatOnnx(net, { float64: opts.float64 === true });
        writeOutput(opts.out, r.bytes);
        const note = r.rounded > 0 ? `; ${r.rounded} of ${r.parameters} parameters rounded to fp32 (--float64 keeps them exact)` : '';
        process.stdout.write(`${opts.out}: ONNX graph of float network "${net.name}", ${net.layers.length} layers, ${r.parameters} parameters (${opts.float64 ? 'DOUBLE' : 'FLOAT'})${note}\n`);
      } catch (err) {
        if (err instanceof OnnxError) throw new CliError(err.message);
        if (err instanceof ModelError || err instanceof RangeError) throw new CliError(err.message.replace(/:\n\s*/, ': ').replace(/\n\s*/g, '; '));
        throw err;
      }
    });
}
