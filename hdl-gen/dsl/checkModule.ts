/**
 * Whole-module rules, checked when a module is sealed: every wire, output and
 * register is driven; every declared input, wire, register and memory is read
 * (or marked unused); no combinational loop. Also the combinational
 * input-to-output dependencies a parent needs to find loops through instances.
 */
import { DslError } from './dslError.ts';
import type { Expr, Signal, SignalInfo } from './expr.ts';
import type { InstanceDef, MemoryDef } from './moduleTypes.ts';
import { refsOf } from './walk.ts';

export interface ModuleParts {
  readonly name: string;
  readonly ports: readonly Signal[];
  readonly signals: readonly Signal[];
  readonly drivers: ReadonlyMap<SignalInfo, Expr>;
  readonly registers: readonly { readonly signal: Signal; readonly next: Expr | undefined; readonly enable: Expr | undefined }[];
  readonly instances: readonly InstanceDef[];
  readonly memories: readonly MemoryDef[];
  readonly unusedOk: ReadonlySet<SignalInfo>;
}

type GraphParts = Pick<ModuleParts, 'ports' | 'drivers' | 'instances' | 'memories'>;

export function memoryReads(m: MemoryDef): Expr[] {
  return m.kind === 'rom' ? [m.addr] : [m.writeAddr, m.writeData, m.writeEnable, m.readAddr];
}

export function checkModule(p: ModuleParts): void {
  const reads = new Set<SignalInfo>(
    refsOf([
      ...p.drivers.values(),
      ...p.registers.flatMap((r) => (r.enable ? [r.next, r.enable] : [r.next])).filter((e): e is Expr => e !== undefined),
      ...p.instances.flatMap((i) => i.inputs.map((c) => c.value)),
      ...p.memories.flatMap(memoryReads),
    ]),
  );
  const all = [...p.ports, ...p.signals];
  const next = new Map(p.registers.map((r) => [r.signal.info, r.next]));

  for (const s of all) {
    const k = s.kind;
    if ((k === 'wire' || k === 'output') && !p.drivers.has(s.info)) {
      const what = k === 'wire' ? 'wire' : 'output';
      if (reads.has(s.info)) {
        throw new DslError(`module ${p.name}: ${what} ${s.name} is read but never driven: drive it with m.assign(${s.name}, value)`);
      }
      throw new DslError(`module ${p.name}: ${what} ${s.name} is never driven: drive it with m.assign(${s.name}, value)${k === 'wire' ? ' or remove it' : ''}`);
    }
    if (k === 'reg' && next.get(s.info) === undefined) {
      throw new DslError(`module ${p.name}: register ${s.name} is never updated: give it a next value with m.update(${s.name}, value)`);
    }
  }

  for (const s of all) {
    const k = s.kind;
    const isClock = k === 'input' && (s.name === 'clk' || s.name === 'rst');
    const mustBeRead = (k === 'input' && !isClock) || k === 'wire' || k === 'reg' || k === 'memoryRead';
    if (mustBeRead && !reads.has(s.info) && !p.unusedOk.has(s.info)) {
      const what = k === 'reg' ? 'register' : k === 'memoryRead' ? 'memory read data' : k;
      throw new DslError(`module ${p.name}: ${what} ${s.name} is never read: use it, or call m.markUnused(${s.name}) if that is deliberate`);
    }
  }

  findCombLoop(p);
}

/** The signals whose current value `s` depends on within the same clock cycle. */
function combEdges(p: GraphParts): (s: SignalInfo) => readonly SignalInfo[] {
  const instOut = new Map<SignalInfo, { inst: InstanceDef; port: string }>();
  for (const inst of p.instances) for (const o of inst.outputs) instOut.set(o.signal.info, { inst, port: o.port });
  const memOut = new Map<SignalInfo, MemoryDef>();
  for (const m of p.memories) memOut.set(m.data.info, m);
  const cache = new Map<SignalInfo, readonly SignalInfo[]>();
  return (s) => {
    const hit = cache.get(s);
    if (hit) return hit;
    let deps: readonly SignalInfo[] = [];
    const driver = p.drivers.get(s);
    if (driver) deps = refsOf([driver]);
    const io = instOut.get(s);
    if (io) {
      const inputs = io.inst.module.combDependencies().get(io.port) ?? new Set<string>();
      deps = refsOf(io.inst.inputs.filter((c) => inputs.has(c.port)).map((c) => c.value));
    }
    const mem = memOut.get(s);
    if (mem && mem.read === 'async') deps = refsOf([mem.kind === 'rom' ? mem.addr : mem.readAddr]);
    cache.set(s, deps);
    return deps;
  };
}

function findCombLoop(p: ModuleParts): void {
  const edges = combEdges(p);
  const state = new Map<SignalInfo, 'active' | 'done'>();
  const path: SignalInfo[] = [];
  const visit = (s: SignalInfo): void => {
    const st = state.get(s);
    if (st === 'done') return;
    if (st === 'active') {
      const cycle = [...path.slice(path.indexOf(s)), s].map((x) => x.name).join(' -> ');
      throw new DslError(
        `module ${p.name}: combinational loop ${cycle}: each signal's value depends on the next in the same cycle; break the loop with a register`,
      );
    }
    state.set(s, 'active');
    path.push(s);
    for (const d of edges(s)) visit(d);
    path.pop();
    state.set(s, 'done');
  };
  for (const s of [...p.ports, ...p.signals]) visit(s.info);
}

export function computeCombDependencies(p: GraphParts): ReadonlyMap<string, ReadonlySet<string>> {
  const edges = combEdges(p);
  const out = new Map<string, ReadonlySet<string>>();
  for (const port of p.ports) {
    if (port.kind !== 'output') continue;
    const found = new Set<string>();
    const seen = new Set<SignalInfo>();
    const stack = [port.info];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      if (s.kind === 'input') found.add(s.name);
      stack.push(...edges(s));
    }
    out.set(port.name, found);
  }
  return out;
}
