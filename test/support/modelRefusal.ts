// The issues of a ModelError that `f` must throw; fails the test when it throws anything else or nothing.
import { expect } from 'vitest';
import { ModelError } from '../../src/model/index.ts';

export function modelRefusal(f: () => unknown): string[] {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return [...(err as ModelError).issues];
  }
  throw new Error('expected a refusal');
}
