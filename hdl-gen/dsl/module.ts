/**
 * The module builder. A generator function creates a Module, declares ports
 * and signals, drives each exactly once, and returns it; the emitter turns it
 * into Verilog. Every rule is checked where it is broken (shapes on assign,
 * drivers, names) or, for whole-module rules (undriven, unread, loops), when
 * the module is sealed, which happens on instantiation or emission.
 */
import { type Shape, fits, maxOf, minOf, shapeEquals, shapeName, unsigned } from '../../src/arith/index.ts';
import { checkShape } from './busShape.ts';
import { checkModule, computeCombDependencies } from './checkModule.ts';
import { DslError } from './dslError.ts';
import { type Expr, type SignalInfo, type SignalKind, type SignalOwner, Signal, describe } from './expr.ts';
import { checkIdentifier } from './identifier.ts';
import type {
  ClockDomain,
  Instance,
  InstanceDef,
  MemoryDef,
  ModuleMeta,
  RamOptions,
  ReadMode,
  RegisterDef,
  RegisterOptions,
  RomOptions,
  Stream,
  UpdateOptions,
} from './moduleTypes.ts';
import { forEachRef } from './walk.ts';

/** Names the DSL itself uses inside every module. */
const RESERVED_NAMES: Readonly<Record<string, string>> = {
  clk: 'the clock (call m.clockDomain(); registers create it on their own)',
  rst: 'the reset (call m.clockDomain(); registers create it on their own)',
  unused_ok: 'the sink the emitter connects deliberately unread bits to',
};

/** Widest memory address: 1 Mi entries (a 224x224 network on a 16-lane accelerator needs 2^17 activation words; docs/performance.md). */
export const MAX_ADDRESS_WIDTH = 20;

interface MutableRegister {
  signal: Signal;
  reset: bigint | null;
  next: Expr | undefined;
  enable: Expr | undefined;
}

export class Module implements SignalOwner {
  readonly name: string;
  readonly meta: ModuleMeta;
  readonly #names = new Map<string, string>();
  #clock: ClockDomain | undefined;
  readonly #ports: Signal[] = [];
  readonly #signals: Signal[] = [];
  readonly #drivers = new Map<SignalInfo, Expr>();
  readonly #registers = new Map<SignalInfo, MutableRegister>();
  readonly #instances: InstanceDef[] = [];
  readonly #memories: MemoryDef[] = [];
  readonly #unusedOk = new Set<SignalInfo>();
  #sealed = false;
  #combDeps: ReadonlyMap<string, ReadonlySet<string>> | undefined;

  constructor(name: string, meta: ModuleMeta = {}) {
    this.name = checkIdentifier(name, 'module name');
    this.meta = Object.freeze({ ...meta });
  }

  // ---- declarations -------------------------------------------------------

  input(name: string, s: Shape): Signal {
    return this.#port(name, s, 'input');
  }

  output(name: string, s: Shape): Signal {
    return this.#port(name, s, 'output');
  }

  /** A wire of `shape`, driven later with assign(); or, given an expression, a wire driven by it. */
  wire(name: string, shapeOrValue: Shape | Expr): Signal {
    this.#mutable();
    const value = isExpr(shapeOrValue) ? shapeOrValue : undefined;
    const s = value ? value.shape : checkShape(shapeOrValue, `module ${this.name}: wire ${JSON.stringify(name)}`);
    const sig = this.#declare(name, s, 'wire');
    this.#signals.push(sig);
    if (value) this.assign(sig, value);
    return sig;
  }

  /** A register clocked by the module's clock, with synchronous reset (default value 0). */
  reg(name: string, s: Shape, opts: RegisterOptions = {}): Signal {
    this.#mutable();
    const sh = checkShape(s, `module ${this.name}: register ${JSON.stringify(name)}`);
    const reset = this.#resetValue(name, sh, opts.reset);
    this.clockDomain();
    const sig = this.#declare(name, sh, 'reg');
    this.#signals.push(sig);
    this.#registers.set(sig.info, { signal: sig, reset, next: undefined, enable: undefined });
    return sig;
  }

  /** Creates (once) the input ports `clk` and `rst` (synchronous, active high), first in the port list. */
  clockDomain(): ClockDomain {
    if (this.#clock) return this.#clock;
    this.#mutable();
    const clk = this.#declare('clk', unsigned(1), 'input', true);
    const rst = this.#declare('rst', unsigned(1), 'input', true);
    this.#clock = { clk, rst };
    return this.#clock;
  }

  /** Consumer side of a stream: inputs `<name>_valid`, `<name>_data`; output `<name>_ready`. */
  streamIn(name: string, data: Shape): Stream {
    const valid = this.input(`${name}_valid`, unsigned(1));
    const ready = this.output(`${name}_ready`, unsigned(1));
    return { valid, ready, data: this.input(`${name}_data`, data) };
  }

  /** Producer side of a stream: outputs `<name>_valid`, `<name>_data`; input `<name>_ready`. */
  streamOut(name: string, data: Shape): Stream {
    const valid = this.output(`${name}_valid`, unsigned(1));
    const ready = this.input(`${name}_ready`, unsigned(1));
    return { valid, ready, data: this.output(`${name}_data`, data) };
  }

  // ---- drivers ------------------------------------------------------------

  /** Drives a wire or output port combinationally. The shapes must be equal. */
  assign(target: Signal, value: Expr): void {
    this.#mutable();
    this.#checkTarget(target, 'assign to');
    const k = target.kind;
    if (k === 'reg') {
      throw new DslError(`module ${this.name}: ${target.name} is a register: give it its next value with m.update(${target.name}, value)`);
    }
    if (k !== 'wire' && k !== 'output') this.#refuseDrive(target);
    if (this.#drivers.has(target.info)) {
      throw new DslError(`module ${this.name}: ${kindName(k)} ${target.name} already has a driver: every signal has exactly one driver`);
    }
    this.#checkValue(value, target, `assign to ${kindName(k)} ${target.name}`);
    this.#drivers.set(target.info, value);
  }

  /** Sets a register's next value, loaded on each clock edge (while `enable` is 1, if given). */
  update(target: Signal, value: Expr, opts: UpdateOptions = {}): void {
    this.#mutable();
    this.#checkTarget(target, 'update');
    const r = this.#registers.get(target.info);
    if (r === undefined) {
      if (target.kind === 'wire' || target.kind === 'output') {
        throw new DslError(`module ${this.name}: ${target.name} is a ${kindName(target.kind)}, not a register: drive it with m.assign(${target.name}, value)`);
      }
      this.#refuseDrive(target);
    }
    if (r.next !== undefined) {
      throw new DslError(`module ${this.name}: register ${target.name} already has a next value: every signal has exactly one driver`);
    }
    this.#checkValue(value, target, `update of register ${target.name}`);
    if (opts.enable !== undefined) this.#checkBit(opts.enable, `update of register ${target.name}: enable`);
    r.next = value;
    r.enable = opts.enable;
  }

  /** Declares that `signal` is deliberately never read (otherwise sealing fails). */
  markUnused(signal: Signal): void {
    this.#checkTarget(signal, 'markUnused of');
    this.#unusedOk.add(signal.info);
  }

  // ---- hierarchy and memories --------------------------------------------

  /**
   * Instantiates `child` (which is sealed by this). Every input port but clk
   * and rst must be connected, each to a value of exactly the port's shape;
   * clk and rst connect to this module's own. Outputs are read through
   * `inst.out(port)`, a wire named `<instance>_<port>`.
   */
  instance(name: string, child: Module, inputs: Readonly<Record<string, Expr>>): Instance {
    this.#mutable();
    const where = `module ${this.name}: instance ${JSON.stringify(name)}`;
    if (!(child instanceof Module)) throw new DslError(`${where}: the child is not a Module`);
    if (child === this) throw new DslError(`${where}: a module cannot instantiate itself`);
    child.seal();
    checkIdentifier(name, `module ${this.name}: instance name`);
    const of = `module ${this.name}: instance ${name} of ${child.name}`;
    const childInputs = child.ports.filter((p) => p.kind === 'input' && !child.#isClockPort(p));
    const childOutputs = child.ports.filter((p) => p.kind === 'output');
    for (const key of Object.keys(inputs)) {
      const port = child.ports.find((p) => p.name === key);
      if (port === undefined) throw new DslError(`${of}: ${child.name} has no port ${JSON.stringify(key)}`);
      if (port.kind === 'output') {
        throw new DslError(`${of}: ${key} is an output of ${child.name}: read outputs with inst.out(${JSON.stringify(key)})`);
      }
      if (child.#isClockPort(port)) {
        throw new DslError(`${of}: ${key} is connected to this module's own ${key}: do not connect it`);
      }
    }
    const conns: { port: string; value: Expr }[] = [];
    for (const p of childInputs) {
      const value = inputs[p.name];
      if (value === undefined) throw new DslError(`${of}: input port ${p.name} is not connected`);
      if (!isExpr(value)) throw new DslError(`${of}: port ${p.name} is connected to something that is not an expression`);
      if (!shapeEquals(value.shape, p.shape)) {
        throw new DslError(
          `${of}: port ${p.name} is ${shapeName(p.shape)} but the connected value ${describe(value)} is ${shapeName(value.shape)}: shapes must match exactly`,
        );
      }
      this.#checkOwned(value, `instance ${name} of ${child.name}: port ${p.name}`);
      conns.push({ port: p.name, value });
    }
    const clocked = child.clock !== undefined;
    if (clocked) this.clockDomain();
    this.#names.set(name, `instance ${name}`);
    const outs = childOutputs.map((p) => {
      const sig = this.#declare(`${name}_${p.name}`, p.shape, 'instanceOutput');
      this.#signals.push(sig);
      return { port: p.name, signal: sig };
    });
    const def: InstanceDef = Object.freeze({ name, module: child, inputs: conns, outputs: outs, clocked });
    this.#instances.push(def);
    return {
      name,
      module: child,
      out: (port: string): Signal => {
        const o = outs.find((x) => x.port === port);
        if (o === undefined) {
          throw new DslError(`${of}: ${child.name} has no output port ${JSON.stringify(port)} (outputs: ${childOutputs.map((p) => p.name).join(', ')})`);
        }
        return o.signal;
      },
    };
  }

  /** A ROM of 2^(addr width) entries, initialised from a hex file the emitter writes. Returns the read data. */
  rom(name: string, opts: RomOptions): Signal {
    this.#mutable();
    const where = `module ${this.name}: rom ${name}`;
    const s = checkShape(opts.shape, where);
    const depth = this.#checkAddress(opts.addr, `rom ${name}: address`);
    if (!Array.isArray(opts.contents) || opts.contents.length < 1 || opts.contents.length > depth) {
      throw new DslError(`${where}: contents has ${String(opts.contents?.length)} entries: a ROM addressed by ${shapeName(opts.addr.shape)} holds 1 to ${depth}`);
    }
    const contents = opts.contents.map((v, i) => {
      const b = typeof v === 'bigint' ? v : Number.isSafeInteger(v) ? BigInt(v) : undefined;
      if (b === undefined || !fits(b, s)) {
        throw new DslError(`${where}: contents[${i}] = ${String(v)} does not fit ${shapeName(s)} (${minOf(s)}..${maxOf(s)})`);
      }
      return b;
    });
    while (contents.length < depth) contents.push(0n);
    const read = this.#readMode(opts.read, where);
    if (read === 'sync') this.clockDomain();
    const memName = `${name}_mem`;
    const data = this.#declare(name, s, 'memoryRead');
    this.#claim(memName, `memory array of rom ${name}`);
    this.#signals.push(data);
    this.#memories.push(Object.freeze({ kind: 'rom', name, memName, shape: s, depth, contents, addr: opts.addr, read, data }));
    return data;
  }

  /** A RAM of 2^(address width) entries: synchronous write, sync (default) or async read. Returns the read data. */
  ram(name: string, opts: RamOptions): Signal {
    this.#mutable();
    const where = `module ${this.name}: ram ${name}`;
    const s = checkShape(opts.shape, where);
    const depth = this.#checkAddress(opts.writeAddr, `ram ${name}: write address`);
    const readDepth = this.#checkAddress(opts.readAddr, `ram ${name}: read address`);
    if (readDepth !== depth) {
      throw new DslError(
        `${where}: read address is ${shapeName(opts.readAddr.shape)} but write address is ${shapeName(opts.writeAddr.shape)}: they must have the same width`,
      );
    }
    if (!isExpr(opts.writeData) || !shapeEquals(opts.writeData.shape, s)) {
      throw new DslError(`${where}: write data is ${isExpr(opts.writeData) ? shapeName(opts.writeData.shape) : 'missing'} but the RAM holds ${shapeName(s)}: shapes must match exactly`);
    }
    this.#checkOwned(opts.writeData, `ram ${name}: write data`);
    this.#checkBit(opts.writeEnable, `ram ${name}: write enable`);
    const read = this.#readMode(opts.read, where);
    this.clockDomain();
    const memName = `${name}_mem`;
    const data = this.#declare(name, s, 'memoryRead');
    this.#claim(memName, `memory array of ram ${name}`);
    this.#signals.push(data);
    this.#memories.push(
      Object.freeze({
        kind: 'ram',
        name,
        memName,
        shape: s,
        depth,
        writeAddr: opts.writeAddr,
        writeData: opts.writeData,
        writeEnable: opts.writeEnable,
        readAddr: opts.readAddr,
        read,
        data,
      }),
    );
    return data;
  }

  // ---- sealing and read access for the emitter ------------------------------

  /** Checks the whole-module rules and freezes the module. Idempotent. */
  seal(): void {
    if (this.#sealed) return;
    checkModule({
      name: this.name,
      ports: this.ports,
      signals: this.#signals,
      drivers: this.#drivers,
      registers: [...this.#registers.values()],
      instances: this.#instances,
      memories: this.#memories,
      unusedOk: this.#unusedOk,
    });
    this.#sealed = true;
  }

  get sealed(): boolean {
    return this.#sealed;
  }

  get clock(): ClockDomain | undefined {
    return this.#clock;
  }

  /** Ports in declaration order, clk and rst first. */
  get ports(): readonly Signal[] {
    return this.#clock ? [this.#clock.clk, this.#clock.rst, ...this.#ports] : [...this.#ports];
  }

  /** Non-port signals in declaration order. */
  get signals(): readonly Signal[] {
    return [...this.#signals];
  }

  /** Every name used in this module (for the emitter's fresh names). */
  get names(): ReadonlySet<string> {
    return new Set(this.#names.keys());
  }

  driverOf(s: Signal): Expr | undefined {
    return this.#drivers.get(s.info);
  }

  get registers(): readonly RegisterDef[] {
    return [...this.#registers.values()].map((r) => {
      if (r.next === undefined) throw new DslError(`module ${this.name}: register ${r.signal.name} is never updated`);
      return { signal: r.signal, reset: r.reset, next: r.next, enable: r.enable };
    });
  }

  get instances(): readonly InstanceDef[] {
    return [...this.#instances];
  }

  get memories(): readonly MemoryDef[] {
    return [...this.#memories];
  }

  isMarkedUnused(s: Signal): boolean {
    return this.#unusedOk.has(s.info);
  }

  /** For each output port, the input ports it depends on combinationally. Seals the module. */
  combDependencies(): ReadonlyMap<string, ReadonlySet<string>> {
    this.seal();
    this.#combDeps ??= computeCombDependencies({
      ports: this.ports,
      drivers: this.#drivers,
      instances: this.#instances,
      memories: this.#memories,
    });
    return this.#combDeps;
  }

  // ---- internals ----------------------------------------------------------

  #mutable(): void {
    if (this.#sealed) {
      throw new DslError(`module ${this.name} is sealed (it was instantiated or emitted): it can no longer change`);
    }
  }

  #isClockPort(p: Signal): boolean {
    return this.#clock !== undefined && (p === this.#clock.clk || p === this.#clock.rst);
  }

  #claim(name: string, what: string, internal = false): string {
    checkIdentifier(name, `module ${this.name}: ${what} name`);
    const reserved = RESERVED_NAMES[name];
    if (reserved !== undefined && !internal) {
      throw new DslError(`module ${this.name}: ${what} name "${name}" is reserved for ${reserved}`);
    }
    const prior = this.#names.get(name);
    if (prior !== undefined) {
      throw new DslError(`module ${this.name}: ${what} name "${name}" is already used by ${prior}: names must be unique in a module`);
    }
    this.#names.set(name, `${what} ${name}`);
    return name;
  }

  #declare(name: string, s: Shape, kind: SignalKind, internal = false): Signal {
    this.#claim(name, kindName(kind), internal);
    return new Signal(Object.freeze({ name, shape: s, kind, owner: this }));
  }

  #port(name: string, s: Shape, kind: 'input' | 'output'): Signal {
    this.#mutable();
    const sh = checkShape(s, `module ${this.name}: ${kind} ${JSON.stringify(name)}`);
    const sig = this.#declare(name, sh, kind);
    this.#ports.push(sig);
    return sig;
  }

  #resetValue(name: string, s: Shape, reset: RegisterOptions['reset']): bigint | null {
    if (reset === 'none') return null;
    const r = reset ?? 0n;
    const v = typeof r === 'bigint' ? r : Number.isSafeInteger(r) ? BigInt(r) : undefined;
    if (v === undefined || !fits(v, s)) {
      throw new DslError(`module ${this.name}: register ${name}: reset value ${String(r)} does not fit ${shapeName(s)} (${minOf(s)}..${maxOf(s)})`);
    }
    return v;
  }

  #readMode(m: ReadMode | undefined, where: string): ReadMode {
    const r = m ?? 'sync';
    if (r !== 'sync' && r !== 'async') throw new DslError(`${where}: read mode ${JSON.stringify(r)} is unknown: use "sync" or "async"`);
    return r;
  }

  /** `what` names the address without the module prefix. */
  #checkAddress(addr: Expr, what: string): number {
    if (!isExpr(addr)) throw new DslError(`module ${this.name}: ${what} is missing`);
    if (addr.shape.signed || addr.shape.width > MAX_ADDRESS_WIDTH) {
      throw new DslError(`module ${this.name}: ${what} is ${shapeName(addr.shape)}: an address must be unsigned with at most ${MAX_ADDRESS_WIDTH} bits`);
    }
    this.#checkOwned(addr, what);
    return 2 ** addr.shape.width;
  }

  /** `what` names the value without the module prefix. */
  #checkBit(e: Expr, what: string): void {
    if (!isExpr(e) || e.shape.width !== 1 || e.shape.signed) {
      throw new DslError(`module ${this.name}: ${what} is ${isExpr(e) ? shapeName(e.shape) : 'missing'}: it must be u1`);
    }
    this.#checkOwned(e, what);
  }

  #checkTarget(target: Signal, verb: string): void {
    if (!(target instanceof Signal)) throw new DslError(`module ${this.name}: ${verb} something that is not a signal`);
    if (target.info.owner !== this) {
      throw new DslError(`module ${this.name}: cannot ${verb} ${target.name}: it belongs to module ${target.info.owner.name}`);
    }
  }

  #refuseDrive(target: Signal): never {
    switch (target.kind) {
      case 'input':
        throw new DslError(`module ${this.name}: cannot drive input ${target.name}: an input is driven from outside the module`);
      case 'instanceOutput':
        throw new DslError(`module ${this.name}: cannot drive ${target.name}: it is driven by an instance's output`);
      case 'memoryRead':
        throw new DslError(`module ${this.name}: cannot drive ${target.name}: it is the read data of a memory`);
      default:
        throw new DslError(`module ${this.name}: cannot drive ${target.name}`);
    }
  }

  #checkValue(value: Expr, target: Signal, what: string): void {
    if (!isExpr(value)) throw new DslError(`module ${this.name}: ${what}: the value is not an expression`);
    if (!shapeEquals(value.shape, target.shape)) {
      throw new DslError(
        `module ${this.name}: ${what}: value ${describe(value)} is ${shapeName(value.shape)} but ${target.name} is ${shapeName(target.shape)}: ` +
          `shapes must match exactly (no implicit extension or truncation); convert with .resize(), .saturate(), .truncate() or .roundShift()`,
      );
    }
    this.#checkOwned(value, what);
  }

  /** `what` names the value without the module prefix. */
  #checkOwned(value: Expr, what: string): void {
    forEachRef([value], (s) => {
      if (s.owner !== this) {
        throw new DslError(`module ${this.name}: ${what} reads ${s.name} of module ${s.owner.name}: a module reads only its own signals (connect it through a port)`);
      }
    });
  }
}

function isExpr(v: unknown): v is Expr {
  return typeof v === 'object' && v !== null && 'node' in v && 'shape' in v;
}

export function kindName(k: SignalKind): string {
  switch (k) {
    case 'instanceOutput':
      return 'instance output';
    case 'memoryRead':
      return 'memory read data';
    case 'reg':
      return 'register';
    default:
      return k;
  }
}
