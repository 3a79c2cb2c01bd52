// ONNX import and export (`pikehdl import`, `pikehdl export --format onnx`).
import { decodeModel } from './proto.ts';
import { importGraph, type ImportOptions, type ImportedGraph } from './importGraph.ts';
import { ANNOTATION_KEY, parseAnnotations } from './annotations.ts';

export { OnnxError } from './onnxError.ts';
export { SUPPORTED_OPS, layerNameFor } from './importGraph.ts';
export type { ImportOptions, ImportedGraph, ActQuant, WeightQuant, LayerQuant } from './importGraph.ts';
export { chwToHwc, hwcToChw } from './layout.ts';

/** Parse an .onnx file's bytes into a pikehdl float network (and its declared quantization). */
export function importOnnx(bytes: Uint8Array, source: string, options: ImportOptions = {}): ImportedGraph {
  const model = decodeModel(bytes, source);
  return importGraph(model, source, options, parseAnnotations(model.metadata.get(ANNOTATION_KEY)));
}
export { toIntNetwork } from './importQuantized.ts';
export { exportFloatOnnx, EXPORT_OPSET } from './exportFloat.ts';
export type { ExportOptions, ExportResult } from './exportFloat.ts';
export { exportIntOnnx, affineOf } from './exportInt.ts';
