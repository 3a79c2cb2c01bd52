/**
 * Mutant schemata (the technique of YosysHQ mcy's `mutate -ctrl`): every
 * mutation of a design is built into ONE copy of it, each at its site behind
 * a mux selected by an extra input `mutant_sel` (u16; 0 = the original). One
 * simulator build then runs every mutant: only the selector changes.
 *
 * The copy is rebuilt through the DSL's public builders (a pure transform:
 * nothing here does I/O), module by module; every module of the hierarchy
 * gains the `mutant_sel` input and passes it to its instances. A module's
 * mutations change its definition, so every instance of it sees them (as a
 * slip in the generator would).
 *
 * Sites are enumerated in a fixed order (modules depth first, then signals in
 * declaration order, then the expression tree post-order), so a mutant's id
 * is stable for a given design; `select` limits which ids are built in.
 */
import { type Range, shape, unsigned } from '../../src/arith/index.ts';
import { DslError } from '../dsl/dslError.ts';
import { type Expr, type Signal, type SignalInfo, cat, children, constant, mux } from '../dsl/expr.ts';
import { Module } from '../dsl/module.ts';
import type { RegisterDef } from '../dsl/moduleTypes.ts';
import { type Alternative, alternativesOf, applyBinary, siteText, stuckAlternatives } from './exprMutations.ts';
import { boundarySafeConstants, moduleRoots, observedWidths, rangeFits, signSafeCompares, tieSafeCompares, valueRanges } from './deadBits.ts';
import type { Mutation } from './mutationTypes.ts';

export const MUTANT_SEL = 'mutant_sel';
export const MUTANT_SEL_WIDTH = 16;
const MAX_MUTANTS = 2 ** MUTANT_SEL_WIDTH - 1;

export interface SchemataOptions {
  /** Ids to build in (default: all). Every site is still enumerated, so ids do not depend on the selection. */
  readonly select?: ReadonlySet<number>;
  /** Build exactly one mutant with no selector (for the equivalence check); the result has no mutant_sel port. */
  readonly only?: number;
}

export interface Schemata {
  /** The mutated copy of the top (same name, same ports plus mutant_sel unless `only` was given). */
  readonly top: Module;
  /** Every mutation site of the design, built in or not, in id order. */
  readonly mutations: readonly Mutation[];
}

/** Names of signals whose one-bit drivers are handshake or pipeline controls (the stuck-at sites). */
const CONTROL_NAME = /(^|_)(valid|ready|load|fire|en|enable|go|start|done|last|first)(_|$)/;

export function mutantSchemata(top: Module, opts: SchemataOptions = {}): Schemata {
  const b = new Builder(opts);
  const t = b.cloneModule(top);
  return { top: t, mutations: b.mutations };
}

class Builder {
  readonly mutations: Mutation[] = [];
  readonly #clones = new Map<string, Module>();
  readonly #opts: SchemataOptions;
  constructor(opts: SchemataOptions) {
    this.#opts = opts;
  }

  #built(id: number): boolean {
    if (this.#opts.only !== undefined) return id === this.#opts.only;
    return this.#opts.select === undefined || this.#opts.select.has(id);
  }

  get #withSelector(): boolean {
    return this.#opts.only === undefined;
  }

  cloneModule(m: Module): Module {
    const prior = this.#clones.get(m.name);
    if (prior !== undefined) return prior;
    m.seal();
    const c = new Module(m.name, m.meta);
    const map = new Map<SignalInfo, Signal>();
    const clock = m.clock;
    if (clock !== undefined) {
      const cd = c.clockDomain();
      map.set(clock.clk.info, cd.clk);
      map.set(clock.rst.info, cd.rst);
    }
    for (const p of m.ports) {
      if (map.has(p.info)) continue;
      map.set(p.info, p.kind === 'input' ? c.input(p.name, p.shape) : c.output(p.name, p.shape));
    }
    const sel = this.#withSelector ? c.input(MUTANT_SEL, unsigned(MUTANT_SEL_WIDTH)) : undefined;
    if (sel !== undefined) c.markUnused(sel); // a module with no built-in site does not read it
    const roots = moduleRoots(m);
    const range = valueRanges(roots);
    const site = new SiteContext(this, m.name, sel, map, { observed: observedWidths(roots), range, tieSafe: tieSafeCompares(roots), signSafe: signSafeCompares(roots, range), boundarySafe: boundarySafeConstants(roots) });

    // Children first, so their ids come before this module's.
    const childClones = new Map(m.instances.map((inst) => [inst.name, this.cloneModule(inst.module)]));
    const regs = new Map(m.registers.map((r) => [r.signal.info, r]));
    const doneInstances = new Set<string>();
    const doneMemories = new Set<string>();

    const makeInstance = (name: string): void => {
      if (doneInstances.has(name)) return;
      doneInstances.add(name);
      const inst = m.instances.find((i) => i.name === name)!;
      const inputs: Record<string, Expr> = {};
      for (const conn of inst.inputs) inputs[conn.port] = site.rebuild(conn.value, `${name}.${conn.port}`);
      if (sel !== undefined) inputs[MUTANT_SEL] = sel;
      const h = c.instance(name, childClones.get(name)!, inputs);
      for (const o of inst.outputs) map.set(o.signal.info, h.out(o.port));
    };
    const makeMemory = (name: string): void => {
      if (doneMemories.has(name)) return;
      doneMemories.add(name);
      const mem = m.memories.find((x) => x.name === name)!;
      const r = (e: Expr, what: string): Expr => site.rebuild(e, `${name}.${what}`);
      const data =
        mem.kind === 'rom'
          ? c.rom(name, { shape: mem.shape, contents: mem.contents, addr: r(mem.addr, 'addr'), read: mem.read })
          : c.ram(name, {
              shape: mem.shape,
              writeAddr: r(mem.writeAddr, 'writeAddr'),
              writeData: r(mem.writeData, 'writeData'),
              writeEnable: r(mem.writeEnable, 'writeEnable'),
              readAddr: r(mem.readAddr, 'readAddr'),
              read: mem.read,
            });
      map.set(mem.data.info, data);
    };

    // Declarations in the original order; instances and memories when their first output appears.
    for (const s of m.signals) {
      if (s.kind === 'wire') map.set(s.info, c.wire(s.name, s.shape));
      else if (s.kind === 'reg') {
        const def = regs.get(s.info)!;
        const mutatesReset = def.reset !== null && this.#resetSite(def) !== undefined;
        map.set(s.info, c.reg(s.name, s.shape, { reset: mutatesReset ? 'none' : (def.reset ?? 'none') }));
      } else if (s.kind === 'instanceOutput') {
        const inst = m.instances.find((i) => i.outputs.some((o) => o.signal.info === s.info));
        if (inst === undefined) throw new DslError(`mutantSchemata: module ${m.name}: no instance drives ${s.name} (this is a bug)`);
        makeInstance(inst.name);
      } else if (s.kind === 'memoryRead') {
        const mem = m.memories.find((x) => x.data.info === s.info);
        if (mem === undefined) throw new DslError(`mutantSchemata: module ${m.name}: no memory reads into ${s.name} (this is a bug)`);
        makeMemory(mem.name);
      }
    }
    for (const inst of m.instances) makeInstance(inst.name);
    for (const mem of m.memories) makeMemory(mem.name);

    // Drivers of wires and outputs.
    for (const s of [...m.ports, ...m.signals]) {
      const d = m.driverOf(s);
      if (d === undefined) continue;
      let v = site.rebuild(d, s.name);
      if (s.shape.width === 1 && !s.shape.signed && CONTROL_NAME.test(s.name)) {
        v = site.mutate(d, v, stuckAlternatives('control-stuck'), s.name);
      }
      c.assign(map.get(s.info)!, v);
    }
    // Registers: next value, enable, reset value.
    for (const def of m.registers) {
      const target = map.get(def.signal.info)!;
      const next = site.rebuild(def.next, def.signal.name);
      let enable = def.enable === undefined ? undefined : site.rebuild(def.enable, def.signal.name);
      if (def.enable !== undefined && enable !== undefined) {
        enable = site.mutate(def.enable, enable, stuckAlternatives('enable-stuck'), `${def.signal.name} enable`);
      }
      const reset = this.#resetSite(def);
      if (reset !== undefined && def.reset !== null) {
        // The reset is moved into the datapath so the mutated reset value can be selected:
        // r <= rst ? value : (enable ? next : r), the same register as before for mutant 0.
        const rst = map.get(m.clock!.rst.info)!;
        const original = constant(def.reset, def.signal.shape);
        const value = site.mutate(original, original, [reset], def.signal.name);
        const held = enable === undefined ? next : mux(enable, next, target);
        c.update(target, mux(rst, value, held));
      } else {
        c.update(target, next, enable === undefined ? {} : { enable });
      }
    }
    for (const s of [...m.ports, ...m.signals]) if (m.isMarkedUnused(s)) c.markUnused(map.get(s.info)!);
    c.seal();
    this.#clones.set(m.name, c);
    return c;
  }

  /** The reset-value alternative of a register (lowest bit flipped), if the register has a reset. */
  #resetSite(def: RegisterDef): Alternative | undefined {
    if (def.reset === null) return undefined;
    const flipped = def.reset ^ 1n;
    const s = def.signal.shape;
    // For a one-bit signed register (values -1, 0) flipping the low bit is -1 <-> 0.
    const value = s.signed && s.width === 1 ? (def.reset === 0n ? -1n : 0n) : flipped;
    try {
      constant(value, s);
    } catch {
      return undefined;
    }
    return { operator: 'reset-value', change: `reset value ${def.reset} -> ${value}`, build: () => constant(value, s) };
  }

  /** Allocates the next id for a site; true when it is built in. */
  allocate(m: Omit<Mutation, 'id'>): { id: number; built: boolean } {
    const id = this.mutations.length + 1;
    if (id > MAX_MUTANTS) throw new DslError(`mutantSchemata: more than ${MAX_MUTANTS} mutation sites: select fewer`);
    this.mutations.push({ id, ...m });
    return { id, built: this.#built(id) };
  }
}

/** What the dead-bit arguments know of a module's original expressions (deadBits.ts). */
interface ModuleFacts {
  /** Low bits of each node that any reader sees. */
  readonly observed: ReadonlyMap<Expr, number>;
  readonly range: (e: Expr) => Range;
  /** Compares read only by muxes choosing between the compare's operands. */
  readonly tieSafe: ReadonlySet<Expr>;
  /** Compares whose operands are non-negative wherever a reader can see the result. */
  readonly signSafe: ReadonlySet<Expr>;
  /** Compare constants and the values they may move to without changing what the selected muxes give. */
  readonly boundarySafe: ReadonlyMap<Expr, ReadonlySet<bigint>>;
}

/**
 * Why a mutant cannot change anything a reader sees, or undefined. A
 * width-truncate mutant changes only the node's top bit: equivalent when no
 * reader sees that bit, or when the node's values fit one bit fewer (the top
 * bit is a sign copy or 0). add <-> sub changes no bit 0 (both are a0 xor b0):
 * equivalent when readers see only bit 0. A compare's strictness (> / >=)
 * cannot show when its readers only choose between its operands. A
 * compare's signedness cannot show when its operands are non-negative
 * wherever its result is seen (a bounds check x >= 0 && x < n).
 */
function equivalenceArgument(orig: Expr, alt: Alternative, f: ModuleFacts): Mutation['equivalentBy'] {
  const w = orig.shape.width;
  const seen = f.observed.get(orig) ?? w;
  if (alt.operator === 'width-truncate') {
    if (seen < w) return { argument: 'dead bit', why: `the readers of this ${w}-bit value need only its low ${seen} bits: bit ${w - 1} is never observed` };
    const r = f.range(orig);
    if (rangeFits(r, w - 1, orig.shape.signed)) return { argument: 'dead bit', why: `the value lies in [${r.lo}, ${r.hi}], which fits ${w - 1} bits: bit ${w - 1} only ${orig.shape.signed ? 'copies the sign' : 'is 0'}` };
  }
  const n = orig.node;
  if (alt.operator === 'slice-shift' && n.kind === 'slice') {
    // Bits at and above `copies` of the sliced value are all the same (sign copies, or 0): a slice
    // moved by one bit within them reads the same bits.
    const a = n.a;
    const r = f.range(a);
    // Not rangeFits: that builds a src/arith Shape, which stops at 256 bits, and sliced buses are wider.
    const fits = (w: number): boolean => (a.shape.signed ? r.lo >= -(1n << BigInt(w - 1)) && r.hi < 1n << BigInt(w - 1) : r.lo >= 0n && r.hi < 1n << BigInt(w));
    let fit = a.shape.width;
    while (fit > 1 && fits(fit - 1)) fit--;
    const copies = a.shape.signed ? fit - 1 : fit;
    if (Math.min(n.lo, n.lo + (n.hi + 1 < a.shape.width ? 1 : -1)) >= copies) {
      return { argument: 'dead bit', why: `the sliced value lies in [${r.lo}, ${r.hi}]: its bits from ${copies} up are all ${a.shape.signed ? 'copies of the sign' : '0'}, so the slice moved by one reads the same bits` };
    }
  }
  if (alt.operator === 'op-swap' && n.kind === 'binary' && (n.op === 'add' || n.op === 'sub') && seen <= 1) {
    return { argument: 'dead bit', why: `readers see only bit 0 of this ${n.op}, and bit 0 of a + b and a - b is the same (a0 xor b0)` };
  }
  if (alt.operator === 'op-swap' && n.kind === 'binary' && ['gt', 'ge', 'lt', 'le'].includes(n.op) && f.tieSafe.has(orig)) {
    return { argument: 'tie', why: `every reader is a mux choosing between this ${n.op}'s own operands: on a tie both arms are equal, so the strictness never shows` };
  }
  if (alt.operator === 'const-off-by-one' && alt.target !== undefined && f.boundarySafe.get(orig)?.has(alt.target) === true) {
    return { argument: 'tie', why: 'the compare against this constant moved by one differs only where its operand is 0, and every mux it selects has two arms that are 0 there' };
  }
  if (alt.operator === 'compare-signedness' && f.signSafe.has(orig)) {
    return { argument: 'sign guard', why: 'each operand is non-negative by its range or by an x >= 0 test in every reader\'s conjunction: signed and unsigned compares of non-negative values agree' };
  }
  return undefined;
}

/** One module's expression rebuilding, with the mutation sites inserted. */
class SiteContext {
  readonly #b: Builder;
  readonly #module: string;
  readonly #sel: Signal | undefined;
  readonly #map: Map<SignalInfo, Signal>;
  readonly #memo = new Map<Expr, Expr>();
  readonly #selEq = new Map<number, Expr>();
  readonly #facts: ModuleFacts;
  constructor(b: Builder, module: string, sel: Signal | undefined, map: Map<SignalInfo, Signal>, facts: ModuleFacts) {
    this.#b = b;
    this.#facts = facts;
    this.#module = module;
    this.#sel = sel;
    this.#map = map;
  }

  /** The expression rebuilt over the clone's signals, with every site of its tree inserted. */
  rebuild(e: Expr, signal: string): Expr {
    const hit = this.#memo.get(e);
    if (hit !== undefined) return hit;
    const kids = children(e.node).map((c) => this.rebuild(c, signal));
    const plain = this.#plain(e, kids);
    const out = e.isConstant && e.node.kind !== 'const' ? plain : this.mutate(e, plain, alternativesOf(e, kids, plain), signal);
    this.#memo.set(e, out);
    return out;
  }

  /** Inserts one site per alternative that builds: mux(mutant_sel == id, alternative, value). */
  mutate(orig: Expr, value: Expr, alts: readonly Alternative[], signal: string): Expr {
    let v = value;
    for (const alt of alts) {
      let built: Expr;
      try {
        built = alt.build().resize(orig.shape);
      } catch (err) {
        if (err instanceof DslError) continue;
        throw err;
      }
      const dead = equivalenceArgument(orig, alt, this.#facts);
      const { id, built: inside } = this.#b.allocate({
        operator: alt.operator,
        module: this.#module,
        signal,
        description: `${this.#module}.${signal}: ${alt.change} in ${siteText(orig)}`,
        ...(dead !== undefined ? { equivalentBy: dead } : {}),
      });
      if (inside) v = mux(this.#selected(id), built, v);
    }
    return v;
  }

  #selected(id: number): Expr {
    const hit = this.#selEq.get(id);
    if (hit !== undefined) return hit;
    const e = this.#sel === undefined ? constant(1, shape(1, false)) : this.#sel.eq(constant(id, unsigned(MUTANT_SEL_WIDTH)));
    this.#selEq.set(id, e);
    return e;
  }

  #plain(e: Expr, kids: readonly Expr[]): Expr {
    const n = e.node;
    const k = (i: number): Expr => kids[i]!;
    let r: Expr;
    switch (n.kind) {
      case 'const': r = constant(n.value, e.shape); break;
      case 'ref': {
        const s = this.#map.get(n.signal);
        if (s === undefined) throw new DslError(`mutantSchemata: module ${this.#module}: ${n.signal.name} is read before it is declared (this is a bug)`);
        r = s;
        break;
      }
      case 'binary': r = applyBinary(n.op, k(0), k(1)); break;
      case 'unary': r = n.op === 'neg' ? k(0).neg() : k(0).not(); break;
      case 'shlConst': r = k(0).shl(n.k); break;
      case 'shrConst': r = k(0).shr(n.k); break;
      case 'slice': r = k(0).slice(n.hi, n.lo); break;
      case 'concat': r = cat(...kids); break;
      case 'mux': r = mux(k(0), k(1), k(2)); break;
      case 'resize': r = k(0).resize(e.shape); break;
      case 'clamp': r = k(0).clamp(n.lo, n.hi); break;
      case 'roundShift': r = k(0).roundShift(n.k, n.mode); break;
    }
    if (r.shape.width !== e.shape.width || r.shape.signed !== e.shape.signed) {
      throw new DslError(`mutantSchemata: module ${this.#module}: rebuilt ${n.kind} has another shape (this is a bug)`);
    }
    return r;
  }
}
