// Binary protocol between the TypeScript runner and the C++ harness.
// One source of truth: the field tables below give every header field its
// offset; encodeRequestHeader/decodeResponseHeader read them, and the harness
// template is rendered with the same offsets and constants (renderHarness.ts),
// so the two sides cannot drift apart. All fields are little-endian.
//
// Request  (REQUEST_HEADER_BYTES, then count * ceil(inWidth/8) payload bytes):
//   u32 magic  u16 version  u16 flags  u32 frameId  u32 count  u32 expectOutputs
//   u32 seed   u8 inValidPct  u8 outReadyPct  u16 drainCycles  u32 repeats
//   u64 cycleBudget (0: the default formula, cycleBudget())
// Response (RESPONSE_HEADER_BYTES, then outCount * ceil(outWidth/8) payload bytes;
//   no payload in bench mode):
//   u32 magic  u16 version  u16 status  u32 frameId  u32 outCount
//   u64 inHandshakes  u64 outHandshakes  u64 cycles  u64 elapsedNs  u64 cpuNs

/**
 * 3: the request's former reserved u16 became drainCycles (and STATUS_EXTRA_OUTPUT exists).
 * 4: the request carries the frame's cycle budget (a whole-network inference takes millions
 *    of cycles for a few hundred thousand input beats: the per-transaction formula is too tight).
 */
export const PROTOCOL_VERSION = 4;
/** "PKHQ" as a little-endian u32. */
export const REQUEST_MAGIC = 0x51484b50;
/** "PKHR" as a little-endian u32. */
export const RESPONSE_MAGIC = 0x52484b50;

export type FieldType = 'u8' | 'u16' | 'u32' | 'u64';
const FIELD_BYTES: Readonly<Record<FieldType, number>> = { u8: 1, u16: 2, u32: 4, u64: 8 };

export interface HeaderField<N extends string> {
  readonly name: N;
  readonly type: FieldType;
  readonly offset: number;
}

/** Lays fields out back to back (each naturally aligned by construction of the tables). */
function layout<const N extends string>(fields: readonly (readonly [N, FieldType])[]): {
  fields: readonly HeaderField<N>[];
  offset: Readonly<Record<N, number>>;
  bytes: number;
} {
  let at = 0;
  const out: HeaderField<N>[] = [];
  const offset = {} as Record<N, number>;
  for (const [name, type] of fields) {
    const size = FIELD_BYTES[type];
    if (at % size !== 0) throw new Error(`protocol: field ${name} at offset ${at} is not ${size}-byte aligned (this is a bug)`);
    out.push({ name, type, offset: at });
    offset[name] = at;
    at += size;
  }
  return { fields: Object.freeze(out), offset: Object.freeze(offset), bytes: at };
}

export const REQUEST_LAYOUT = layout([
  ['magic', 'u32'],
  ['version', 'u16'],
  ['flags', 'u16'],
  ['frameId', 'u32'],
  ['count', 'u32'],
  ['expectOutputs', 'u32'],
  ['seed', 'u32'],
  ['inValidPct', 'u8'],
  ['outReadyPct', 'u8'],
  ['drainCycles', 'u16'],
  ['repeats', 'u32'],
  ['cycleBudget', 'u64'],
] as const);

export const RESPONSE_LAYOUT = layout([
  ['magic', 'u32'],
  ['version', 'u16'],
  ['status', 'u16'],
  ['frameId', 'u32'],
  ['outCount', 'u32'],
  ['inHandshakes', 'u64'],
  ['outHandshakes', 'u64'],
  ['cycles', 'u64'],
  ['elapsedNs', 'u64'],
  ['cpuNs', 'u64'],
] as const);

export const REQUEST_HEADER_BYTES = REQUEST_LAYOUT.bytes;
export const RESPONSE_HEADER_BYTES = RESPONSE_LAYOUT.bytes;

export const FLAG_BACKPRESSURE = 1;
export const FLAG_BENCH = 2;

export const STATUS_OK = 0;
export const STATUS_CYCLE_BUDGET = 1;
export const STATUS_BAD_REQUEST = 2;
export const STATUS_PROTOCOL_VIOLATION = 3;
export const STATUS_FINISHED = 4;
export const STATUS_EXTRA_OUTPUT = 5;

export const STATUS_NAMES: Readonly<Record<number, string>> = {
  [STATUS_OK]: 'ok',
  [STATUS_CYCLE_BUDGET]: 'cycle budget exhausted',
  [STATUS_BAD_REQUEST]: 'bad request',
  [STATUS_PROTOCOL_VIOLATION]: 'out_valid/out_data changed before the output was accepted',
  [STATUS_FINISHED]: 'design called $finish/$stop',
  [STATUS_EXTRA_OUTPUT]: 'out_valid rose after the last expected output (an extra output) in the drain window',
};

/** Line the harness prints on stdout after stdin reaches EOF; close() requires it. */
export const SENTINEL_PREFIX = 'PIKEHDL_DONE';

/** Cycle budget per frame; the harness computes the same formula. */
export const BUDGET_BASE_CYCLES = 10_000;
export const BUDGET_CYCLES_PER_TRANSACTION = 64;

/** Reset is held for this many cycles when the harness starts. */
export const RESET_CYCLES = 4;

/**
 * Cycles simulated after a frame's last expected output, with in_valid low
 * and out_ready high; out_valid in any of them fails the frame
 * (STATUS_EXTRA_OUTPUT). Not counted in the frame's cycles. Frames that
 * expect no outputs (input-only frames whose outputs may follow in a later
 * frame) default to no drain.
 */
export const DEFAULT_DRAIN_CYCLES = 64;
export const MAX_DRAIN_CYCLES = 0xffff;

/** The drain window a frame gets when it does not name one. */
export function drainCyclesFor(expectOutputs: number, drainCycles: number | undefined): number {
  return drainCycles ?? (expectOutputs > 0 ? DEFAULT_DRAIN_CYCLES : 0);
}

export interface RequestHeader {
  flags: number;
  frameId: number;
  count: number;
  expectOutputs: number;
  seed: number;
  inValidPct: number;
  outReadyPct: number;
  drainCycles: number;
  repeats: number;
  /** Cycles the frame may take; 0 means cycleBudget(count, expectOutputs). */
  cycleBudget: number;
}

export function encodeRequestHeader(h: RequestHeader): Buffer {
  const o = REQUEST_LAYOUT.offset;
  const b = Buffer.alloc(REQUEST_HEADER_BYTES);
  b.writeUInt32LE(REQUEST_MAGIC, o.magic);
  b.writeUInt16LE(PROTOCOL_VERSION, o.version);
  b.writeUInt16LE(h.flags, o.flags);
  b.writeUInt32LE(h.frameId >>> 0, o.frameId);
  b.writeUInt32LE(h.count, o.count);
  b.writeUInt32LE(h.expectOutputs, o.expectOutputs);
  b.writeUInt32LE(h.seed >>> 0, o.seed);
  b.writeUInt8(h.inValidPct, o.inValidPct);
  b.writeUInt8(h.outReadyPct, o.outReadyPct);
  b.writeUInt16LE(h.drainCycles, o.drainCycles);
  b.writeUInt32LE(h.repeats, o.repeats);
  b.writeUInt32LE(h.cycleBudget % 0x1_0000_0000, o.cycleBudget);
  b.writeUInt32LE(Math.floor(h.cycleBudget / 0x1_0000_0000), o.cycleBudget + 4);
  return b;
}

export interface ResponseHeader {
  magic: number;
  version: number;
  status: number;
  frameId: number;
  outCount: number;
  inHandshakes: number;
  outHandshakes: number;
  cycles: number;
  elapsedNs: number;
  /** Harness process CPU time since its previous response (reading, simulating, writing). */
  cpuNs: number;
}

/** u64 as a number without a BigInt allocation (exact below 2^53). */
function u64(b: Buffer, at: number): number {
  return b.readUInt32LE(at) + b.readUInt32LE(at + 4) * 0x1_0000_0000;
}

export function decodeResponseHeader(b: Buffer): ResponseHeader {
  const o = RESPONSE_LAYOUT.offset;
  return {
    magic: b.readUInt32LE(o.magic),
    version: b.readUInt16LE(o.version),
    status: b.readUInt16LE(o.status),
    frameId: b.readUInt32LE(o.frameId),
    outCount: b.readUInt32LE(o.outCount),
    inHandshakes: u64(b, o.inHandshakes),
    outHandshakes: u64(b, o.outHandshakes),
    cycles: u64(b, o.cycles),
    elapsedNs: u64(b, o.elapsedNs),
    cpuNs: u64(b, o.cpuNs),
  };
}

/** C++ `constexpr` offsets of both headers (REQ_<FIELD>, RESP_<FIELD>), for the harness template. */
export function headerOffsetsCpp(): string {
  const cname = (n: string): string => n.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  const lines = [
    ...REQUEST_LAYOUT.fields.map((f) => `constexpr unsigned REQ_${cname(f.name)} = ${f.offset};  // ${f.type}`),
    ...RESPONSE_LAYOUT.fields.map((f) => `constexpr unsigned RESP_${cname(f.name)} = ${f.offset};  // ${f.type}`),
  ];
  return lines.join('\n');
}

export function cycleBudget(count: number, expectOutputs: number): number {
  return BUDGET_BASE_CYCLES + BUDGET_CYCLES_PER_TRANSACTION * (count + expectOutputs);
}
