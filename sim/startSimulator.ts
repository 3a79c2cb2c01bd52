import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import * as P from './protocol.ts';
import { tail } from './runProcess.ts';
import { SimError } from './simError.ts';
import { StreamBuffer } from './streamBuffer.ts';
import type {
  BenchResult,
  BuiltSimulator,
  CloseSummary,
  FrameResult,
  SimFrame,
  StartOptions,
} from './types.ts';

const DEFAULT_TIMEOUT_MS = 60_000;
const STDERR_KEEP = 8192;

/** A running harness process for one built design. */
export interface Simulator {
  readonly top: string;
  readonly pid: number | undefined;
  /** Sends one frame of transactions and resolves with its outputs. Runs may be pipelined. */
  run(frame: SimFrame): Promise<FrameResult>;
  /**
   * Like run(), but also reports when the frame's bytes have been handed to the
   * pipe, so a driver can generate the next frame while this one simulates
   * (generating before `written` settles would stall the 64 KiB writes).
   * frame.inputs must stay untouched until `result` settles.
   */
  send(frame: SimFrame): { written: Promise<void>; result: Promise<FrameResult> };
  /** Replays the frame's inputs `repeats` times inside the harness (always valid/ready). */
  bench(frame: SimFrame, repeats: number): Promise<BenchResult>;
  /** Ends stdin, waits for exit and requires the completion sentinel. */
  close(): Promise<CloseSummary>;
  /** Kills the process (cleanup after a failure); never throws. */
  kill(): void;
  /** The last few kB the harness wrote to stderr (design $display output goes there too). */
  stderrTail(): string;
}

interface Pending {
  frameIndex: number;
  count: number;
  expectOutputs: number;
  bench: boolean;
  resolve: (h: P.ResponseHeader, payload: Buffer) => void;
  reject: (e: Error) => void;
}

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

class SimProcess implements Simulator {
  readonly top: string;
  private readonly child: Child;
  private readonly inBytes: number;
  private readonly outBytes: number;
  private readonly timeoutMs: number;
  private readonly out = new StreamBuffer();
  private readonly pending: Pending[] = [];
  private stderr = '';
  private framesSent = 0;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private failure: SimError | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private headSince = 0;
  private readonly exitPromise: Promise<void>;
  /** Settles once the process has spawned (or failed to). */
  readonly started: Promise<void>;

  constructor(built: BuiltSimulator, opts: StartOptions) {
    this.top = built.top;
    this.inBytes = Math.ceil(built.inWidth / 8);
    this.outBytes = Math.ceil(built.outWidth / 8);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.child = spawn(built.binaryPath, withInitialStateArgs(opts.args ?? []), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...(opts.env ?? {}) },
    });
    this.started = new Promise((resolve) => {
      this.child.once('spawn', () => resolve());
      this.child.once('error', () => resolve());
    });
    this.child.stdin.on('error', () => {
      // EPIPE when the harness died: reported through the exit handler.
    });
    this.child.stdout.on('data', (c: Buffer) => {
      this.out.push(c);
      this.drain();
    });
    this.child.stderr.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString('utf8')).slice(-STDERR_KEEP);
    });
    this.exitPromise = new Promise((resolve) => {
      this.child.on('error', (e) => {
        this.fail(new SimError(`could not start the harness for design ${this.top}: ${e.message}`, 'crash'));
        this.exited ??= { code: null, signal: null };
        resolve();
      });
      this.child.on('close', (code, signal) => {
        this.exited = { code, signal };
        if (this.watchdog) clearInterval(this.watchdog);
        const head = this.pending[0];
        if (head) {
          this.fail(
            new SimError(
              `harness for design ${this.top} ${describeExit(code, signal)} during frame ${head.frameIndex} ` +
                `(${head.count} transactions sent); stderr:\n${tail(this.stderr, 20)}`,
              'crash',
            ),
          );
        }
        resolve();
      });
    });
  }

  /** The spawn failure, if the process never started. */
  startError(): SimError | undefined {
    return this.exited && this.exited.code === null && !this.exited.signal ? this.failure : undefined;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  stderrTail(): string {
    return tail(this.stderr, 40);
  }

  run(frame: SimFrame): Promise<FrameResult> {
    return this.send(frame).result;
  }

  send(frame: SimFrame): { written: Promise<void>; result: Promise<FrameResult> } {
    const { written, result } = this.submit(frame, 0);
    return {
      written,
      result: result.then(({ header, payload }) => ({
        outputs: payload,
        count: header.outCount,
        cycles: header.cycles,
        inHandshakes: header.inHandshakes,
        outHandshakes: header.outHandshakes,
        simNs: header.elapsedNs,
        cpuNs: header.cpuNs,
      })),
    };
  }

  bench(frame: SimFrame, repeats: number): Promise<BenchResult> {
    if (!Number.isInteger(repeats) || repeats < 1 || repeats > 0xffffffff) {
      return Promise.reject(new SimError(`bench repeats ${repeats} must be an integer from 1 to 2^32-1`));
    }
    return this.submit(frame, repeats).result.then(({ header }) => ({
      inHandshakes: header.inHandshakes,
      outHandshakes: header.outHandshakes,
      cycles: header.cycles,
      elapsedNs: header.elapsedNs,
      cpuNs: header.cpuNs,
    }));
  }

  private submit(
    frame: SimFrame,
    repeats: number,
  ): { written: Promise<void>; result: Promise<{ header: P.ResponseHeader; payload: Uint8Array }> } {
    const frameIndex = this.framesSent;
    const refuse = (e: SimError) => ({ written: Promise.resolve(), result: Promise.reject(e) });
    const bad = this.validateFrame(frame, frameIndex);
    if (bad) return refuse(bad);
    if (this.failure) return refuse(this.failure);
    if (this.exited) {
      return refuse(
        new SimError(
          `harness for design ${this.top} already ${describeExit(this.exited.code, this.exited.signal)}; ` +
            `cannot run frame ${frameIndex}`,
          'crash',
        ),
      );
    }
    this.framesSent++;
    const bp = frame.backpressure;
    const isBench = repeats > 0;
    const header = P.encodeRequestHeader({
      flags: (bp && !isBench ? P.FLAG_BACKPRESSURE : 0) | (isBench ? P.FLAG_BENCH : 0),
      frameId: frameIndex,
      count: frame.count,
      expectOutputs: frame.expectOutputs,
      seed: bp ? bp.seed : 0,
      inValidPct: bp ? bp.inValidPct : 100,
      outReadyPct: bp ? bp.outReadyPct : 100,
      drainCycles: isBench ? 0 : P.drainCyclesFor(frame.expectOutputs, frame.drainCycles),
      repeats,
      cycleBudget: frame.cycleBudget ?? 0,
    });
    const payload = frame.inputs.subarray(0, frame.count * this.inBytes);
    let markWritten: () => void = () => undefined;
    const written = new Promise<void>((r) => {
      markWritten = r;
    });
    const result = new Promise<{ header: P.ResponseHeader; payload: Uint8Array }>((resolve, reject) => {
      if (this.pending.length === 0) this.headSince = Date.now();
      this.armWatchdog();
      this.pending.push({
        frameIndex,
        count: frame.count,
        expectOutputs: frame.expectOutputs,
        bench: isBench,
        reject,
        resolve: (h, buf) => {
          const err = this.statusError(h, frameIndex, frame, isBench);
          if (err) reject(err);
          else resolve({ header: h, payload: buf });
        },
      });
      // Node hands large buffers to the pipe 64 KiB at a time; `written` settles
      // (errors included: they surface through the exit handler) once all is out.
      // Corked until the next tick: the frames a driver sends in one tick
      // (header and payload each) leave in a single writev syscall.
      const stdin = this.child.stdin;
      stdin.cork();
      stdin.write(header);
      stdin.write(payload, () => markWritten());
      process.nextTick(() => stdin.uncork());
    });
    return { written, result };
  }

  private validateFrame(frame: SimFrame, frameIndex: number): SimError | undefined {
    const where = `design ${this.top} frame ${frameIndex}`;
    const u32 = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
    if (!u32(frame.count)) return new SimError(`${where}: count ${frame.count} must be a non-negative 32-bit integer`);
    if (!u32(frame.expectOutputs)) {
      return new SimError(`${where}: expectOutputs ${frame.expectOutputs} must be a non-negative 32-bit integer`);
    }
    if (frame.inputs.length < frame.count * this.inBytes) {
      return new SimError(
        `${where}: inputs hold ${frame.inputs.length} bytes, need ${frame.count} x ${this.inBytes}`,
      );
    }
    const drain = frame.drainCycles;
    if (drain !== undefined && (!Number.isInteger(drain) || drain < 0 || drain > P.MAX_DRAIN_CYCLES)) {
      return new SimError(`${where}: drainCycles ${drain} must be an integer from 0 to ${P.MAX_DRAIN_CYCLES}`);
    }
    const cb = frame.cycleBudget;
    if (cb !== undefined && (!Number.isSafeInteger(cb) || cb < 1)) {
      return new SimError(`${where}: cycleBudget ${cb} must be a positive integer below 2^53`);
    }
    const bp = frame.backpressure;
    if (bp) {
      for (const k of ['inValidPct', 'outReadyPct'] as const) {
        const v = bp[k];
        if (!Number.isInteger(v) || v < 1 || v > 100) {
          return new SimError(`${where}: backpressure.${k} ${v} must be an integer from 1 to 100`);
        }
      }
      if (!u32(bp.seed)) return new SimError(`${where}: backpressure.seed ${bp.seed} must be a 32-bit unsigned integer`);
    }
    return undefined;
  }

  private statusError(h: P.ResponseHeader, frameIndex: number, frame: SimFrame, isBench: boolean): SimError | undefined {
    if (h.status === P.STATUS_OK) return undefined;
    const name = P.STATUS_NAMES[h.status] ?? `unknown status ${h.status}`;
    const budget = frame.cycleBudget ?? P.cycleBudget(frame.count, frame.expectOutputs);
    return new SimError(
      `design ${this.top} frame ${frameIndex}${isBench ? ' (bench)' : ''}: ${name} ` +
        `after ${h.cycles} cycles${h.status === P.STATUS_CYCLE_BUDGET && !isBench ? ` (budget ${budget})` : ''}; ` +
        `reached input transaction ${h.inHandshakes} of ${frame.count} and output ${h.outHandshakes} of ${frame.expectOutputs}` +
        (this.stderr ? `; stderr:\n${tail(this.stderr, 10)}` : ''),
      'status',
    );
  }

  private drain(): void {
    while (this.pending.length > 0 && !this.failure) {
      if (this.out.length < P.RESPONSE_HEADER_BYTES) return;
      const h = P.decodeResponseHeader(this.out.peek(P.RESPONSE_HEADER_BYTES));
      const head = this.pending[0]!;
      if (h.magic !== P.RESPONSE_MAGIC || h.version !== P.PROTOCOL_VERSION || h.frameId !== head.frameIndex) {
        const shown = JSON.stringify(this.out.peek(Math.min(this.out.length, 64)).toString('latin1'));
        this.kill();
        this.fail(
          new SimError(
            `harness for design ${this.top} sent a bad response header for frame ${head.frameIndex} ` +
              `(magic 0x${h.magic.toString(16)}, version ${h.version}, frame ${h.frameId}; expected magic ` +
              `0x${P.RESPONSE_MAGIC.toString(16)}): the stream starts with ${shown}`,
            'bad-response',
          ),
        );
        return;
      }
      if (!head.bench && h.status === P.STATUS_OK && h.outCount !== head.expectOutputs) {
        this.kill();
        this.fail(
          new SimError(
            `harness for design ${this.top} returned ${h.outCount} outputs for frame ${head.frameIndex}, expected ${head.expectOutputs}`,
            'bad-response',
          ),
        );
        return;
      }
      const need = P.RESPONSE_HEADER_BYTES + (head.bench ? 0 : h.outCount * this.outBytes);
      if (this.out.length < need) return;
      this.out.take(P.RESPONSE_HEADER_BYTES);
      const payload = this.out.take(need - P.RESPONSE_HEADER_BYTES);
      this.pending.shift();
      this.headSince = Date.now();
      head.resolve(h, payload);
    }
  }

  /**
   * One watchdog per process instead of a timer per frame: the frame at the
   * head of the queue (the one the harness is working on) may take at most
   * timeoutMs from when it became the head.
   */
  private armWatchdog(): void {
    if (this.watchdog) return;
    const period = Math.max(5, Math.min(1000, Math.floor(this.timeoutMs / 4)));
    this.watchdog = setInterval(() => {
      const head = this.pending[0];
      if (!head || Date.now() - this.headSince <= this.timeoutMs) return;
      this.kill();
      this.fail(
        new SimError(
          `harness for design ${this.top} timed out after ${this.timeoutMs} ms in frame ${head.frameIndex} ` +
            `(${head.count} transactions, expecting ${head.expectOutputs} outputs); ` +
            `process ${String(this.child.pid)} killed`,
          'timeout',
        ),
      );
    }, period);
    this.watchdog.unref();
  }

  private fail(e: SimError): void {
    this.failure ??= e;
    for (const p of this.pending.splice(0)) p.reject(this.failure);
  }

  kill(): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      this.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }

  async close(): Promise<CloseSummary> {
    if (this.pending.length > 0) {
      throw new SimError(`design ${this.top}: close() called with ${this.pending.length} runs still pending`);
    }
    if (!this.exited) this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), this.timeoutMs);
    await this.exitPromise;
    clearTimeout(timer);
    const rest = this.out.takeAll().toString('latin1');
    const m = new RegExp(`${P.SENTINEL_PREFIX} frames=(\\d+) transactions=(\\d+) outputs=(\\d+)\\n`).exec(rest);
    const { code, signal } = this.exited ?? { code: null, signal: null };
    if (!m) {
      throw new SimError(
        `harness for design ${this.top} ended without its completion sentinel ${P.SENTINEL_PREFIX} ` +
          `(${describeExit(code, signal)} after ${this.framesSent} frames)` +
          (this.failure ? `; earlier failure: ${this.failure.message}` : '') +
          `; stderr:\n${tail(this.stderr, 20)}`,
        'sentinel',
      );
    }
    const summary = { frames: Number(m[1]), transactions: Number(m[2]), outputs: Number(m[3]) };
    if (code !== 0 || summary.frames !== this.framesSent) {
      throw new SimError(
        `harness for design ${this.top} ${describeExit(code, signal)} reporting ${summary.frames} frames; ` +
          `${this.framesSent} were sent`,
        'sentinel',
      );
    }
    return summary;
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `was killed by signal ${signal}`;
  if (code === null) return 'did not start';
  return `exited with code ${code}`;
}

/** Starts a long-lived harness process for a built design. */
/**
 * Registers without a reset start random (seeded, so a run replays): the builds use
 * --x-initial unique (buildSimulator.ts). A caller that names its own initial state
 * (mutation testing's all-ones launch) keeps it.
 */
export const INITIAL_STATE_ARGS: readonly string[] = ['+verilator+rand+reset+2', '+verilator+seed+1'];

export function withInitialStateArgs(args: readonly string[]): string[] {
  return args.some((a) => a.startsWith('+verilator+rand+reset+')) ? [...args] : [...INITIAL_STATE_ARGS, ...args];
}

export async function startSimulator(built: BuiltSimulator, opts: StartOptions = {}): Promise<Simulator> {
  const sim = new SimProcess(built, opts);
  await sim.started;
  const err = sim.startError();
  if (err) throw err;
  return sim;
}
