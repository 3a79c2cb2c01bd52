/**
 * The Verilated AXI build of the accelerator beside a C++ AXI4 memory model
 * with a protocol checker (templates/harness/axiHarness.cpp.hbs). One process
 * per build; a program is placed in the memory once (its regions declared with
 * their rights), then any number of inferences: the input is written, START
 * over AXI-Lite, the harness clocks until irq, and the output region and the
 * counters are read back. A protocol violation or a hang becomes an
 * AxiRunError naming the channel, the cycle, the address, the region and
 * (for weights and parameters) the layer.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import {
  type AccelConfig, type AccelProgram, type AxiMemoryMap, type AxiRegisterName, axiImages, axiMemoryMap, axiSettings, bytesToWords, CTRL_IRQ_ENABLE, CTRL_START,
  actPacking, axiTraffic, layerCycles, outputTensor, region, registerOffset, STATUS_ERROR, weightLayout,
} from '../../src/accel/index.ts';
import { generateAxiAccelerator } from '../../hdl-gen/accel/index.ts';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { buildSimulator } from '../buildSimulator.ts';
import { withInitialStateArgs } from '../startSimulator.ts';
import { renderTemplate } from '../renderTemplate.ts';
import { SENTINEL_PREFIX } from '../protocol.ts';
import type { BuiltSimulator } from '../types.ts';

export class AxiRunError extends Error {}

/** The memory's behaviour: latency in cycles from the AR handshake to the first R beat, bandwidth in bytes per cycle (fractional allowed). */
export interface MemorySettings {
  readonly latency: number;
  readonly bytesPerCycle: number;
  /** Read bursts the memory accepts before it holds ARREADY low. */
  readonly maxOutstanding: number;
  /** Percent of cycles the memory withholds a READY or VALID (seeded). */
  readonly stallPct: number;
  readonly seed: number;
}

export const DEFAULT_MEMORY: MemorySettings = Object.freeze({ latency: 1, bytesPerCycle: 16, maxOutstanding: 4, stallPct: 0, seed: 1 });

/** `name` gives each field's name in the message (the CLI passes its flags). */
export function checkMemorySettings(m: MemorySettings, name: (field: keyof MemorySettings) => string = (f) => `memory model: ${f}`): void {
  const bad = (field: keyof MemorySettings, v: number, rule: string): never => {
    throw new AxiRunError(`${name(field)} ${v}: ${rule}`);
  };
  if (!Number.isInteger(m.latency) || m.latency < 1 || m.latency > 100_000) bad('latency', m.latency, 'must be an integer from 1 to 100000 cycles');
  if (!Number.isFinite(m.bytesPerCycle) || m.bytesPerCycle < 0.001 || m.bytesPerCycle > 4096) bad('bytesPerCycle', m.bytesPerCycle, 'must be from 0.001 to 4096 bytes per cycle');
  if (!Number.isInteger(m.maxOutstanding) || m.maxOutstanding < 1 || m.maxOutstanding > 64) bad('maxOutstanding', m.maxOutstanding, 'must be an integer from 1 to 64');
  if (!Number.isInteger(m.stallPct) || m.stallPct < 0 || m.stallPct > 90) bad('stallPct', m.stallPct, 'must be an integer from 0 to 90');
}

const SENTINEL = `${SENTINEL_PREFIX} axi`;

/**
 * `breakVerilog` is for tests only: it rewrites the emitted Verilog into a deliberately broken
 * master, to show the protocol checker catching it on the real design (built with -Wno-fatal,
 * since the rewrite leaves signals unread).
 */
export async function buildAxiAccelerator(config: AccelConfig, log?: (line: string) => void, breakVerilog?: (text: string) => string): Promise<BuiltSimulator> {
  const emitted = emitDesign(generateAxiAccelerator(config));
  const d = breakVerilog ? { ...emitted, sources: emitted.sources.map((x) => ({ ...x, text: breakVerilog(x.text) })) } : emitted;
  const s = axiSettings(config);
  const harness = renderTemplate('harness/axiHarness.cpp.hbs', {
    top: d.top, dataBits: s.dataBits, dataBytes: s.dataBytes, sizeCode: Math.log2(s.dataBytes), strbAll: Number((1n << BigInt(s.dataBytes)) - 1n), wide: s.dataBits > 64 ? 1 : 0, sentinel: SENTINEL,
  }).text;
  return buildSimulator({ top: d.top, sources: d.sources.map((x) => ({ name: x.name, text: x.text })), inWidth: 1, outWidth: 1 }, { harness, ...(log ? { log } : {}), ...(breakVerilog ? { extraVerilatorArgs: ['-Wno-fatal'] } : {}) });
}

export interface AxiInference {
  readonly output: Int32Array;
  /** Harness cycles from the START write's handshake to irq. */
  readonly cycles: number;
  /** The accelerator's AXI-Lite counters. */
  readonly counters: Readonly<Record<'CYCLES' | 'COMPUTE_CYCLES' | 'STALL_CYCLES' | 'MACS' | 'BYTES_READ' | 'BYTES_WRITTEN', number>>;
  /** The memory model's own count of bytes moved. */
  readonly modelBytesRead: number;
  readonly modelBytesWritten: number;
  /** Most read bursts the memory held at once. */
  readonly outstandingSeen: number;
  /** Stall cycles per descriptor (LAYER_SEL / LAYER_STALL); they add up to STALL_CYCLES. */
  readonly layerStalls: readonly number[];
}

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

export class AxiSimulator {
  readonly #child: Child;
  readonly #lines: string[] = [];
  readonly #waiters: ((line: string) => void)[] = [];
  #stderr = '';
  #exited = false;
  #program: AccelProgram | undefined;
  #map: AxiMemoryMap | undefined;
  #mem: MemorySettings = DEFAULT_MEMORY;

  /** `vcd`: write the session's waveform there (the build must have --trace: BuiltSimulator.withTrace). */
  constructor(built: BuiltSimulator, opts: { vcd?: string } = {}) {
    const env = opts.vcd === undefined ? process.env : { ...process.env, PIKEHDL_VCD: opts.vcd };
    this.#child = spawn(built.binaryPath, withInitialStateArgs([]), { stdio: ['pipe', 'pipe', 'pipe'], env });
    createInterface({ input: this.#child.stdout }).on('line', (l) => {
      const w = this.#waiters.shift();
      if (w) w(l);
      else this.#lines.push(l);
    });
    this.#child.stderr.on('data', (b: Buffer) => {
      this.#stderr = (this.#stderr + b.toString()).slice(-4096);
    });
    // A write to a harness that has just died (between its exit and 'close') must not become an
    // uncaught EPIPE: the waiters get the error line, as on exit.
    this.#child.stdin.on('error', (e: Error) => {
      for (const w of this.#waiters.splice(0)) w(`ERROR harness input closed: ${e.message} (stderr: ${this.#stderr.trim().slice(-300)})`);
    });
    // 'close', not 'exit': 'exit' can come before the last stdout lines are read, and a waiter
    // answered "exited" then would lose the completion sentinel that is still in the pipe.
    this.#child.on('close', () => {
      this.#exited = true;
      for (const w of this.#waiters.splice(0)) w(`ERROR harness exited (stderr: ${this.#stderr.trim().slice(-300)})`);
    });
  }

  /** One command, one reply line. */
  async command(line: string): Promise<string> {
    if (this.#exited) throw new AxiRunError(`AXI harness has exited (stderr: ${this.#stderr.trim().slice(-300)})`);
    const reply = new Promise<string>((resolve) => {
      const queued = this.#lines.shift();
      if (queued !== undefined) resolve(queued);
      else this.#waiters.push(resolve);
    });
    this.#child.stdin.write(`${line}\n`);
    return reply;
  }

  async #ok(line: string): Promise<string> {
    const r = await this.command(line);
    if (!r.startsWith('OK')) throw this.#error(r);
    return r.slice(2).trim();
  }

  /** A harness reply that is not OK/DONE, as one line naming the region and layer where the address maps to one. */
  #error(reply: string): AxiRunError {
    const m = /^VIOLATION (\S+) cycle (\d+) addr 0x([0-9a-f]+): (.*)$/.exec(reply);
    if (m === null || this.#map === undefined || this.#program === undefined) return new AxiRunError(`AXI harness: ${reply}`);
    const addr = parseInt(m[3]!, 16);
    return new AxiRunError(`AXI protocol violation on ${m[1]} at cycle ${m[2]}, address 0x${m[3]} (${describeAddress(this.#program, this.#map, addr)}): ${m[4]}`);
  }

  async configure(mem: MemorySettings, hangCycles: number): Promise<void> {
    checkMemorySettings(mem);
    this.#mem = mem;
    await this.#ok(`CFG ${mem.latency} ${Math.round(mem.bytesPerCycle * 1000)} ${mem.maxOutstanding} ${mem.seed >>> 0} ${mem.stallPct} ${hangCycles}`);
  }

  /** Places a program's regions in the memory and writes the base registers. */
  async loadProgram(program: AccelProgram, map: AxiMemoryMap = axiMemoryMap(program), regions = map.regions): Promise<void> {
    this.#program = program;
    this.#map = map;
    await this.#ok(`MEM ${map.end}`);
    for (const r of regions) await this.#ok(`REGION ${r.base.toString(16)} ${r.bytes.toString(16)} ${r.access === 'read' ? 'r' : r.access === 'write' ? 'w' : `rw ${r.wordBytes.toString(16)}`}`);
    const img = axiImages(program, map, new Int32Array(program.input.height * program.input.width * program.input.channels));
    await this.#load(region(map, 'program').base, img.program);
    await this.#load(region(map, 'weights').base, img.weights);
    await this.#load(region(map, 'params').base, img.params);
    await this.writeRegister('NLAYERS', program.layers.length);
    await this.writeRegister('PROG_BASE', region(map, 'program').base);
    await this.writeRegister('WEIGHT_BASE', region(map, 'weights').base);
    await this.writeRegister('PARAM_BASE', region(map, 'params').base);
    await this.writeRegister('INPUT_BASE', region(map, 'input').base);
    await this.writeRegister('OUTPUT_BASE', region(map, 'output').base);
    // Spilled programs: the activation region (read and written by the bands).
    const acts = map.regions.find((r) => r.name === 'acts');
    if (acts !== undefined) await this.writeRegister('ACT_BASE', acts.base);
  }

  async #load(addr: number, bytes: Uint8Array): Promise<void> {
    const CHUNK = 16384;
    for (let i = 0; i < bytes.length; i += CHUNK) await this.#ok(`LOAD ${(addr + i).toString(16)} ${Buffer.from(bytes.subarray(i, i + CHUNK)).toString('hex')}`);
  }

  async writeRegister(name: AxiRegisterName, value: number): Promise<void> {
    await this.#ok(`LW ${registerOffset(name).toString(16)} ${(value >>> 0).toString(16)}`);
  }

  async readRegister(name: AxiRegisterName): Promise<number> {
    return Number(await this.#ok(`LR ${registerOffset(name).toString(16)}`));
  }

  /** One inference of the loaded program; it fails (OVERRUN) after `maxCycles` without finishing (default: runBudget). */
  async infer(input: Int32Array, maxCycles?: number): Promise<AxiInference> {
    const program = this.#program;
    const map = this.#map;
    if (program === undefined || map === undefined) throw new Error('AxiSimulator.infer: load a program first (this is a bug)');
    await this.#load(region(map, 'input').base, axiImages(program, map, input).input);
    await this.#ok('ZERO');
    await this.writeRegister('CTRL', CTRL_START | CTRL_IRQ_ENABLE);
    const r = await this.command(`RUN ${maxCycles ?? runBudget(program, map, this.#mem)}`);
    const m = /^DONE (\d+) (\d+) (\d+) (\d+)$/.exec(r);
    if (m === null) throw this.#error(r);
    const status = await this.readRegister('STATUS');
    if ((status & STATUS_ERROR) !== 0) throw new AxiRunError(`accelerator STATUS 0x${status.toString(16)}: ERROR set (a response was not OKAY, or START was refused: NLAYERS or a base register)`);
    const counters = {
      CYCLES: await this.readRegister('CYCLES'), COMPUTE_CYCLES: await this.readRegister('COMPUTE_CYCLES'), STALL_CYCLES: await this.readRegister('STALL_CYCLES'),
      MACS: await this.readRegister('MACS'), BYTES_READ: await this.readRegister('BYTES_READ'), BYTES_WRITTEN: await this.readRegister('BYTES_WRITTEN'),
    };
    const layerStalls: number[] = [];
    for (let i = 0; i < program.layers.length; i++) {
      await this.writeRegister('LAYER_SEL', i);
      layerStalls.push(await this.readRegister('LAYER_STALL'));
    }
    const out = region(map, 'output');
    const hex = await this.#ok(`DUMP ${out.base.toString(16)} ${out.bytes.toString(16)}`);
    const words = bytesToWords(Uint8Array.from(Buffer.from(hex, 'hex')), out.beatsPerWord, map.settings.dataBytes);
    return { output: outputTensor(program, words), cycles: Number(m[1]), counters, modelBytesRead: Number(m[2]), modelBytesWritten: Number(m[3]), outstandingSeen: Number(m[4]), layerStalls };
  }

  /** The harness's last 4 KiB of stderr (the design's $display output goes there): for diagnosing a failed run. */
  get stderrTail(): string {
    return this.#stderr;
  }

  /** Spill build, after a run: the activation region's words, unpacked with the layout the RTL packs them by (actPacking.ts). */
  async dumpActs(): Promise<bigint[]> {
    const map = this.#map;
    const program = this.#program;
    const acts = map?.regions.find((r) => r.name === 'acts');
    if (program === undefined || acts === undefined) throw new Error('AxiSimulator.dumpActs: load a spilled program first (this is a bug)');
    const hex = await this.#ok(`DUMP ${acts.base.toString(16)} ${acts.bytes.toString(16)}`);
    return actPacking(program.config).unpack(Uint8Array.from(Buffer.from(hex, 'hex')), acts.words);
  }

  /** The checker's self-test: scripted bad traffic for one rule; returns the violation line (or "OK none"). */
  async selfTest(name: string): Promise<string> {
    return this.command(`SELFTEST ${name}`);
  }

  async close(): Promise<void> {
    if (this.#exited) return;
    const closed = new Promise<void>((resolve) => this.#child.on('close', () => resolve()));
    // The sentinel arrives as a line; if the harness ends first, the waiter gets the "exited" line.
    const reply = new Promise<string>((resolve) => {
      const queued = this.#lines.shift();
      if (queued !== undefined) resolve(queued);
      else this.#waiters.push(resolve);
    });
    this.#child.stdin.end('QUIT\n');
    const line = await reply;
    await closed;
    if (line !== SENTINEL && !this.#lines.includes(SENTINEL)) throw new AxiRunError(`AXI harness ended without its completion sentinel (stderr: ${this.#stderr.trim().slice(-300)})`);
  }

  kill(): void {
    if (!this.#exited) this.#child.kill('SIGKILL');
  }
}

/** Which region (and, for weights and parameters, which layer and word) an address falls in. */
export function describeAddress(p: AccelProgram, map: AxiMemoryMap, addr: number): string {
  const r = map.regions.find((x) => addr >= x.base && addr < x.base + Math.max(x.bytes, 1));
  if (r === undefined) return 'in no declared region';
  const word = Math.floor((addr - r.base) / r.wordBytes);
  if (r.name === 'weights') {
    // Weight words are full words or diagonals per descriptor: find the descriptor by byte offset.
    const off = addr - r.base;
    const i = weightLayout(p).findIndex((l) => off >= l.offset && off < l.offset + l.bytes);
    if (i >= 0) return `weights region, byte ${off}: layer "${p.layers[i]!.name}"`;
  }
  if (r.name === 'params') {
    const i = p.layers.findIndex((d, k) => {
      const next = p.layers[k + 1];
      const lo = d.pBase;
      const hi = next === undefined ? r.words : next.pBase;
      return word >= lo && word < hi;
    });
    if (i >= 0) return `${r.name} region, word ${word}: layer "${p.layers[i]!.name}"`;
  }
  if (r.name === 'program' && p.layers[word] !== undefined) return `program region: descriptor of layer "${p.layers[word]!.name}"`;
  if (r.name === 'acts') {
    // The layers whose output tensors the word belongs to (the allocation reuses words once a tensor is dead).
    const last = p.layers[p.layers.length - 1]!.name;
    const owners = [...new Set(p.layers.filter((d) => d.band !== undefined && d.name !== last && word >= d.band.tensorWord && word < d.band.tensorWord + d.oh * d.ow * (d.tile?.groups ?? d.og)).map((d) => `"${d.name}"`))];
    return `acts region, word ${word}${owners.length > 0 ? `: output of layer ${owners.join(' or ')}` : ''}`;
  }
  return `${r.name} region, word ${word}`;
}

/**
 * A bound on a whole inference, so a design that keeps moving data without ever finishing is
 * reported (OVERRUN) instead of running forever: four times the compute cycles plus the time the
 * bytes take at the memory's bandwidth (slowed by its stall percentage) and one latency per
 * burst, plus slack.
 */
export function runBudget(p: AccelProgram, map: AxiMemoryMap, mem: MemorySettings): number {
  const t = axiTraffic(p);
  const bytes = t.bytesRead + t.bytesWritten;
  const perCycle = Math.min(mem.bytesPerCycle, map.settings.dataBytes) * (1 - Math.min(mem.stallPct, 95) / 100);
  const bursts = Math.ceil(bytes / (map.settings.dataBytes * map.settings.maxBurst));
  return 100_000 + 4 * (t.computeCycles + Math.ceil(bytes / perCycle) + bursts * (mem.latency + 2));
}

/** A bound on an inference with no AXI handshake: the longest layer's compute, plus slack. */
export function hangCycles(p: AccelProgram): number {
  return Math.max(...p.layers.map(layerCycles)) * 2 + 20_000;
}


/**
 * One inference again in a fresh harness of the traced twin, writing its VCD to `vcdPath` (the
 * whole session: program load, then the inference). For a failed cosim: the run's errors are
 * swallowed, since the waveform up to the failure is what is wanted. Returns the absolute path.
 */
export async function rerunAxiWithTrace(built: BuiltSimulator, program: AccelProgram, mem: MemorySettings, input: Int32Array, vcdPath: string): Promise<string> {
  const full = path.resolve(vcdPath);
  mkdirSync(path.dirname(full), { recursive: true });
  const traced = built.withTrace ? await built.withTrace() : built;
  const sim = new AxiSimulator(traced, { vcd: full });
  try {
    await sim.configure(mem, hangCycles(program));
    await sim.loadProgram(program);
    await sim.infer(input);
    await sim.close();
  } catch {
    // The VCD up to the failure is the point: QUIT lets the harness close (flush) it; a crash cannot.
    await sim.close().catch(() => undefined);
  } finally {
    sim.kill();
  }
  return full;
}
