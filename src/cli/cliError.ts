/** An error caused by the user's input (bad option, invalid file) or their
 *  environment (missing tool, unwritable folder): printed as one line without
 *  a stack, exit code 2. Everything else is a bug. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** A verification that ran and failed (a co-simulation mismatch): exit code 1.
 *  The command has already printed the details. */
export class VerificationFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationFailure';
  }
}
