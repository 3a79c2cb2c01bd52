/**
 * One module as Verilog-2005 text. Layout: header, ports, declarations,
 * combinational logic (in declaration order), instances, memories,
 * registers, then the sink for deliberately unread bits. Every list is in
 * declaration order, so the same module always gives the same bytes.
 */
import { shapeName } from '../../src/arith/index.ts';
import type { Expr, Signal } from '../dsl/expr.ts';
import type { MemoryDef } from '../dsl/moduleTypes.ts';
import type { Module } from '../dsl/module.ts';
import type { EmittedOperator } from './emittedOperator.ts';
import { ExprEmitter, range } from './exprEmitter.ts';
import { headerLines } from './header.ts';
import { hexFileText } from './hexFile.ts';
import { literal } from './literal.ts';
import { NameAllocator } from './names.ts';
import { OperandWriter } from './operand.ts';

export type RomInit = 'readmemh' | 'inline';

export interface EmittedFile {
  readonly name: string;
  readonly text: string;
}

export interface EmittedModule {
  readonly name: string;
  readonly text: string;
  /** Extra files the module reads ($readmemh hex files). */
  readonly files: readonly EmittedFile[];
  /** The arithmetic operators the text contains (emittedOperator.ts). */
  readonly operators: readonly EmittedOperator[];
}

const UNUSED_SINK = 'unused_ok';

export function hexFileName(module: Module, mem: MemoryDef): string {
  return `${module.name}_${mem.name}.hex`;
}

export function emitModule(m: Module, romInit: RomInit = 'readmemh'): EmittedModule {
  m.seal();
  const writer = new OperandWriter();
  const names = new NameAllocator(m.names);
  names.claim(UNUSED_SINK);
  const comb: string[] = [];
  const ex = new ExprEmitter(writer, names, comb);
  const files: EmittedFile[] = [];
  const all = [...m.ports, ...m.signals];

  // Combinational drivers, then everything the sequential blocks read.
  for (const s of all) {
    const d = m.driverOf(s);
    if (d !== undefined) ex.emitInto(d, s.name);
  }
  const regs = m.registers.map((r) => ({
    def: r,
    next: writer.full(ex.emit(r.next, r.signal.name)),
    enable: r.enable === undefined ? undefined : writer.full(ex.emit(r.enable, `${r.signal.name}_en`)),
  }));
  const instances = m.instances.map((inst) => ({
    inst,
    inputs: inst.inputs.map((c) => ({ port: c.port, text: writer.full(ex.emit(c.value, `${inst.name}_${c.port}`)) })),
  }));
  const mems = m.memories.map((mem) => ({ mem, texts: memoryTexts(mem, (e, base) => writer.full(ex.emit(e, base))) }));

  const body: string[] = [];
  const decls = m.signals.map((s) => `${isReg(s, m) ? 'reg' : 'wire'} ${range(s.shape.width)}${s.name}; // ${shapeName(s.shape)}`);
  for (const { mem } of mems) {
    decls.push(`reg ${range(mem.shape.width)}${mem.memName} [0:${mem.depth - 1}]; // ${mem.depth} x ${shapeName(mem.shape)}`);
  }
  section(body, 'Declarations', decls);
  section(body, 'Combinational logic', comb);

  const touchClock = (): void => writer.touch('clk', 1);
  const instLines: string[] = [];
  for (const { inst, inputs } of instances) {
    const conns: string[] = [];
    if (inst.clocked) {
      conns.push('.clk(clk)', '.rst(rst)');
      writer.touch('clk', 1);
      writer.touch('rst', 1);
    }
    for (const c of inputs) conns.push(`.${c.port}(${c.text})`);
    for (const o of inst.outputs) conns.push(`.${o.port}(${o.signal.name})`);
    instLines.push(`${inst.module.name} ${inst.name} (`, ...conns.map((c, i) => `  ${c}${i < conns.length - 1 ? ',' : ''}`), ');');
  }
  section(body, 'Instances', instLines);

  const memLines: string[] = [];
  for (const { mem, texts } of mems) {
    memLines.push(`// ${mem.kind} ${mem.name}: ${mem.depth} x ${shapeName(mem.shape)}, ${mem.read} read`);
    if (mem.kind === 'rom') {
      if (romInit === 'readmemh') {
        const file = hexFileName(m, mem);
        files.push({ name: file, text: hexFileText(mem.contents, mem.shape) });
        memLines.push(`initial $readmemh("${file}", ${mem.memName});`);
      } else {
        memLines.push('initial begin');
        mem.contents.forEach((v, i) => {
          memLines.push(`  ${mem.memName}[${i}] = ${literal(BigInt.asUintN(mem.shape.width, v), mem.shape.width)};`);
        });
        memLines.push('end');
      }
    } else {
      touchClock();
      memLines.push(`always @(posedge clk) begin`, `  if (${texts.writeEnable}) begin`, `    ${mem.memName}[${texts.writeAddr}] <= ${texts.writeData};`, '  end', 'end');
    }
    const read = `${mem.memName}[${texts.readAddr}]`;
    if (mem.read === 'async') {
      memLines.push(`assign ${mem.data.name} = ${read};`);
    } else {
      touchClock();
      memLines.push(`always @(posedge clk) begin`, `  ${mem.data.name} <= ${read};`, 'end');
    }
  }
  section(body, 'Memories', memLines);

  const regLines: string[] = [];
  for (const { def, next, enable } of regs) {
    touchClock();
    const name = def.signal.name;
    const load = [`${name} <= ${next};`];
    const loadWhen = enable === undefined ? load : [`if (${enable}) begin`, ...load.map((l) => `  ${l}`), 'end'];
    regLines.push('always @(posedge clk) begin');
    if (def.reset !== null) {
      writer.touch('rst', 1);
      const resetBits = BigInt.asUintN(def.signal.shape.width, def.reset);
      regLines.push('  if (rst) begin', `    ${name} <= ${literal(resetBits, def.signal.shape.width)};`);
      if (enable === undefined) regLines.push('  end else begin', ...load.map((l) => `    ${l}`), '  end');
      else regLines.push(`  end else if (${enable}) begin`, ...load.map((l) => `    ${l}`), '  end');
    } else {
      regLines.push(...loadWhen.map((l) => `  ${l}`));
    }
    regLines.push('end');
  }
  section(body, 'Registers', regLines);

  // Bits nothing reads are the result of explicit truncations, slices and
  // ignored instance outputs. Verilator's documented idiom: read them into a
  // wire whose name matches its default --unused-regexp (*unused*).
  const unused: string[] = [];
  const sinkable = [...all.filter((s) => s.kind !== 'output').map((s) => ({ name: s.name, width: s.shape.width })), ...ex.intermediates];
  for (const { name, width } of sinkable) {
    for (const [hi, lo] of writer.unusedRanges(name, width)) {
      unused.push(width === 1 ? name : hi === lo ? `${name}[${hi}]` : `${name}[${hi}:${lo}]`);
    }
  }
  if (unused.length > 0) {
    section(body, 'Bits no logic reads (explicit truncations and slices), sunk so lint sees every bit used', [
      `wire ${UNUSED_SINK} = &{1'b0, ${unused.join(', ')}, 1'b0};`,
    ]);
  }

  const lines = [...headerLines(m), '`default_nettype none', ...portHeader(m), ...body, 'endmodule', '`default_nettype wire', ''];
  return { name: m.name, text: lines.join('\n'), files, operators: ex.operators };
}

function isReg(s: Signal, m: Module): boolean {
  if (s.kind === 'reg') return true;
  if (s.kind !== 'memoryRead') return false;
  return m.memories.find((mem) => mem.data === s)?.read === 'sync';
}

function section(body: string[], title: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  body.push('', `  // ${title}`, ...lines.map((l) => `  ${l}`));
}

function portHeader(m: Module): string[] {
  const ports = m.ports;
  if (ports.length === 0) return [`module ${m.name};`];
  return [
    `module ${m.name} (`,
    ...ports.map((p, i) => {
      const dir = p.kind === 'input' ? 'input ' : 'output';
      const comma = i < ports.length - 1 ? ',' : '';
      const note = p.shape.width === 1 && !p.shape.signed ? '' : ` // ${shapeName(p.shape)}`;
      return `  ${dir} wire ${range(p.shape.width)}${p.name}${comma}${note}`;
    }),
    ');',
  ];
}

interface MemoryTexts {
  readAddr: string;
  writeAddr: string;
  writeData: string;
  writeEnable: string;
}

function memoryTexts(mem: MemoryDef, text: (e: Expr, base: string) => string): MemoryTexts {
  if (mem.kind === 'rom') return { readAddr: text(mem.addr, `${mem.name}_addr`), writeAddr: '', writeData: '', writeEnable: '' };
  return {
    writeAddr: text(mem.writeAddr, `${mem.name}_waddr`),
    writeData: text(mem.writeData, `${mem.name}_wdata`),
    writeEnable: text(mem.writeEnable, `${mem.name}_we`),
    readAddr: text(mem.readAddr, `${mem.name}_raddr`),
  };
}
