/**
 * The one error type of the DSL. Messages name the module, the signal and the
 * rule that was broken, so a generator author can fix the call site without
 * reading the DSL's source.
 */
export class DslError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DslError';
  }
}

/** An invariant the DSL itself should have kept: a bug here, not in the caller. */
export function internalError(message: string): never {
  throw new Error(`hdl-gen internal error (this is a bug): ${message}`);
}
