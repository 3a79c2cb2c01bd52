// Binary protocol between the TypeScript runner and the C++ harness.
// One source of truth: the harness template is rendered with these constants,
// so the two sides cannot drift apart. All fields are little-endian.
//
// Request  (REQUEST_HEADER_BYTES, then count * ceil(inWidth/8) payload bytes):
//   u32 magic  u16 version  u16 flags  u32 frameId  u32 count  u32 expectOutputs
//   u32 seed   u8 inValidPct  u8 outReadyPct  u16 reserved  u32 repeats
// Response (RESPONSE_HEADER_BYTES, then outCount * ceil(outWidth/8) payload bytes;
//   no payload in bench mode):
//   u32 magic  u16 version  u16 status  u32 frameId  u32 outCount
//   u64 inHandshakes  u64 outHandshakes  u64 cycles  u64 elapsedNs  u64 cpuNs

export const PROTOCOL_VERSION = 2;
/** "PKHQ" as a little-endian u32. */
export const REQUEST_MAGIC = 0x51484b50;
/** "PKHR" as a little-endian u32. */
export const RESPONSE_MAGIC = 0x52484b50;
export const REQUEST_HEADER_BYTES = 32;
export const RESPONSE_HEADER_BYTES = 56;

export const FLAG_BACKPRESSURE = 1;
export const FLAG_BENCH = 2;

export const STATUS_OK = 0;
export const STATUS_CYCLE_BUDGET = 1;
export const STATUS_BAD_REQUEST = 2;
export const STATUS_PROTOCOL_VIOLATION = 3;
export const STATUS_FINISHED = 4;

export const STATUS_NAMES: Readonly<Record<number, string>> = {
  [STATUS_OK]: 'ok',
  [STATUS_CYCLE_BUDGET]: 'cycle budget exhausted',
  [STATUS_BAD_REQUEST]: 'bad request',
  [STATUS_PROTOCOL_VIOLATION]: 'out_valid/out_data changed before the output was accepted',
  [STATUS_FINISHED]: 'design called $finish/$stop',
};

/** Line the harness prints on stdout after stdin reaches EOF; close() requires it. */
export const SENTINEL_PREFIX = 'PIKEHDL_DONE';

/** Cycle budget per frame; the harness computes the same formula. */
export const BUDGET_BASE_CYCLES = 10_000;
export const BUDGET_CYCLES_PER_TRANSACTION = 64;

/** Reset is held for this many cycles when the harness starts. */
export const RESET_CYCLES = 4;

export interface RequestHeader {
  flags: number;
  frameId: number;
  count: number;
  expectOutputs: number;
  seed: number;
  inValidPct: number;
  outReadyPct: number;
  repeats: number;
}

export function encodeRequestHeader(h: RequestHeader): Buffer {
  const b = Buffer.alloc(REQUEST_HEADER_BYTES);
  b.writeUInt32LE(REQUEST_MAGIC, 0);
  b.writeUInt16LE(PROTOCOL_VERSION, 4);
  b.writeUInt16LE(h.flags, 6);
  b.writeUInt32LE(h.frameId >>> 0, 8);
  b.writeUInt32LE(h.count, 12);
  b.writeUInt32LE(h.expectOutputs, 16);
  b.writeUInt32LE(h.seed >>> 0, 20);
  b.writeUInt8(h.inValidPct, 24);
  b.writeUInt8(h.outReadyPct, 25);
  b.writeUInt32LE(h.repeats, 28);
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
  return {
    magic: b.readUInt32LE(0),
    version: b.readUInt16LE(4),
    status: b.readUInt16LE(6),
    frameId: b.readUInt32LE(8),
    outCount: b.readUInt32LE(12),
    inHandshakes: u64(b, 16),
    outHandshakes: u64(b, 24),
    cycles: u64(b, 32),
    elapsedNs: u64(b, 40),
    cpuNs: u64(b, 48),
  };
}

export function cycleBudget(count: number, expectOutputs: number): number {
  return BUDGET_BASE_CYCLES + BUDGET_CYCLES_PER_TRANSACTION * (count + expectOutputs);
}
