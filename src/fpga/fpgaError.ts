/** An expected failure of the FPGA flow (bad option, missing tool, tool error): one clear line for the user. */
export class FpgaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FpgaError';
  }
}
