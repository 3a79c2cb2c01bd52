// Error-case helper: the call must throw a DslError with exactly this message.
import { expect } from 'vitest';
import { DslError } from '../../hdl-gen/dsl/index.ts';

export function expectDslError(f: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected DslError: ${message}`).toBeInstanceOf(DslError);
  expect((thrown as Error).message).toBe(message);
}
