// Public types of the co-simulation API.

/** A design as the DSL team emits it: a top module with the stream port list. */
export interface DesignSource {
  /** File name: a plain identifier with a .v, .sv, .vh or .svh extension. */
  name: string;
  text: string;
}

export interface SimDesign {
  /** Top module name: a plain identifier. */
  top: string;
  sources: DesignSource[];
  /** Width of in_data in bits (>= 1). */
  inWidth: number;
  /** Width of out_data in bits (>= 1). */
  outWidth: number;
}

export interface BuildOptions {
  /** Root of the build cache; default `<repo>/build` or env PIKEHDL_BUILD_DIR. */
  buildDir?: string;
  /** Receives the one-line build/cache-hit log; default writes to stderr. */
  log?: (line: string) => void;
  /** Extra arguments appended to the verilator command line (part of the cache key). */
  extraVerilatorArgs?: string[];
  /** A harness other than the stream harness (C++ source, part of the cache key): the AXI build's memory model. */
  harness?: string;
  /**
   * Build with --trace (VCD dumps). Off by default: tracing code is a third of
   * the generated C++ and is only wanted to explain a failure, for which
   * rerunWithTrace builds the traced twin (BuiltSimulator.withTrace).
   */
  trace?: boolean;
}

/** A built Verilator model with its harness, ready to start. */
export interface BuiltSimulator {
  readonly top: string;
  readonly inWidth: number;
  readonly outWidth: number;
  /** SHA-256 (hex) of sources, harness, Verilator version and flags. */
  readonly hash: string;
  /** Directory of the cached build. */
  readonly dir: string;
  /** Executable harness. */
  readonly binaryPath: string;
  /** True when this call reused a cached build. */
  readonly cacheHit: boolean;
  /**
   * When this build has no --trace: builds (or reuses) the same design with it,
   * for a waveform of a failure. Absent on a traced build.
   */
  readonly withTrace?: () => Promise<BuiltSimulator>;
}

export interface Backpressure {
  seed: number;
  /** Probability (0..100) that in_valid is offered in a cycle when no transfer is pending. */
  inValidPct: number;
  /** Probability (0..100) that out_ready is high in a cycle. */
  outReadyPct: number;
}

export interface SimFrame {
  /** `count` transactions, each packed little-endian into ceil(inWidth/8) bytes. */
  inputs: Uint8Array;
  count: number;
  /** The frame ends once this many outputs were collected. */
  expectOutputs: number;
  /**
   * Idle cycles simulated after the last expected output (in_valid low,
   * out_ready high); out_valid in any of them fails the frame as an extra
   * output. Default 64 when expectOutputs > 0, else 0 (an input-only frame
   * whose outputs may come in a later frame). Not counted in the frame's cycles.
   */
  drainCycles?: number;
  /**
   * Cycles the frame may take before it fails as a hang (default: 10,000 + 64
   * per input and expected output, protocol.ts cycleBudget). A design whose
   * work is not proportional to its beats (a whole-network inference) states
   * its own.
   */
  cycleBudget?: number;
  backpressure?: Backpressure;
}

export interface FrameResult {
  /** `count` outputs, each packed little-endian into ceil(outWidth/8) bytes. */
  outputs: Uint8Array;
  count: number;
  cycles: number;
  inHandshakes: number;
  outHandshakes: number;
  /** Time the harness spent simulating this frame (C++ steady_clock), excluding I/O. */
  simNs: number;
  /** Harness CPU time for this frame, I/O included (since its previous response). */
  cpuNs: number;
}

export interface BenchResult {
  inHandshakes: number;
  outHandshakes: number;
  cycles: number;
  elapsedNs: number;
  cpuNs: number;
}

export interface StartOptions {
  /** Per-run timeout; the process is killed when it expires. Default 60 s. */
  timeoutMs?: number;
  /** Extra environment for the harness process (e.g. PIKEHDL_VCD). */
  env?: Record<string, string>;
  /** Command-line arguments of the harness (Verilog plusargs such as `+mutant=3`, read with $value$plusargs). */
  args?: readonly string[];
}

export interface CloseSummary {
  frames: number;
  transactions: number;
  outputs: number;
}

export interface Mismatch {
  index: number;
  expected: bigint;
  actual: bigint;
}

export interface Comparison {
  compared: number;
  mismatches: Mismatch[];
}

export interface BuildStats {
  hits: number;
  builds: number;
}
