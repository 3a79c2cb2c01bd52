/** What went wrong, so callers (coSimulate, tests) can react without parsing text. */
export type SimErrorKind =
  | 'validation'
  | 'tool-missing'
  /** The environment, not the design: an unusable build folder, a lock that cannot be taken. */
  | 'environment'
  | 'build'
  | 'status'
  | 'crash'
  | 'timeout'
  | 'bad-response'
  | 'sentinel'
  | 'mismatch'
  | 'no-comparison';

/** Every error the co-simulation layer throws; the message starts with "pikehdl sim:". */
export class SimError extends Error {
  readonly kind: SimErrorKind;
  constructor(message: string, kind: SimErrorKind = 'validation') {
    super(message.startsWith('pikehdl sim:') ? message : `pikehdl sim: ${message}`);
    this.name = 'SimError';
    this.kind = kind;
  }
}
