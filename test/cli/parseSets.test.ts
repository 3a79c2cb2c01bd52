import { describe, expect, it } from 'vitest';
import { parseSets, setupAccelerator } from '../../src/cli/accel/accelSetup.ts';
import { CliError } from '../../src/cli/cliError.ts';

describe('--set key=value (parseSets)', () => {
  it('takes integers, the memory kind and the true/false switches', () => {
    expect(parseSets(['lanes=4', 'memory=axi', 'spill=true', 'loadable=false'])).toEqual({ lanes: 4, memory: 'axi', spill: true, loadable: false });
  });

  it('refuses a non-integer for a numeric field, naming the key and value', () => {
    expect(() => parseSets(['lanes=x'])).toThrow(CliError);
    expect(() => parseSets(['lanes=x'])).toThrow('--set lanes=x: must be an integer');
  });

  it('refuses an unknown key before the model is resolved (no compile for a typo)', () => {
    // The model name does not exist either: the --set error must come first.
    expect(() => setupAccelerator('no_such_model', ['lanez=4'])).toThrow('--set lanez: unknown accelerator parameter');
  });
});
