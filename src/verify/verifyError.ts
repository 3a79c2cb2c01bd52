/** A user-facing error of the verification commands (bad unit, budget, missing tool): one line, exit 2 in the CLI. */
export class VerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyError';
  }
}
