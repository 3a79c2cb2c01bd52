/** A network the accelerator cannot run, or a configuration too small for it: names the layer, the field and the need. */
export class AccelCompileError extends Error {
  constructor(readonly layer: string, readonly field: string, readonly need: string) {
    super(`accelerator: layer "${layer}": ${field}: ${need}`);
  }
}
