/** An error caused by the user's input (bad option, invalid file): printed as
 *  one line without a stack, exit code 2. Everything else is a bug. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
