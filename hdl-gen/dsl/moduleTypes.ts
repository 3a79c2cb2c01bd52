/** Public types of modules: metadata, streams, and the read-only parts the emitter walks. */
import type { Shape } from '../../src/arith/index.ts';
import type { Expr, Signal } from './expr.ts';
import type { Module } from './module.ts';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Recorded in the emitted header; the Verilog itself is fully elaborated. */
export interface ModuleMeta {
  /** Registry name of the generator that built the module. */
  readonly generator?: string;
  /** The validated configuration it was built from. */
  readonly config?: JsonValue;
  /** One line saying what the module does. */
  readonly description?: string;
}

/** A valid/ready stream: `<name>_valid`, `<name>_ready`, `<name>_data`. */
export interface Stream {
  readonly valid: Signal;
  readonly ready: Signal;
  readonly data: Signal;
}

/** The module's clock and its synchronous, active-high reset. */
export interface ClockDomain {
  readonly clk: Signal;
  readonly rst: Signal;
}

export interface RegisterOptions {
  /** Value loaded while rst is high; 'none' for a register without reset. Default 0. */
  readonly reset?: bigint | number | 'none';
}

export interface UpdateOptions {
  /** u1 clock enable: the register keeps its value while it is 0. */
  readonly enable?: Expr;
}

export interface RegisterDef {
  readonly signal: Signal;
  /** null: no reset. */
  readonly reset: bigint | null;
  readonly next: Expr;
  readonly enable: Expr | undefined;
}

export interface InstanceDef {
  readonly name: string;
  readonly module: Module;
  /** Input connections in the child's port order (clk and rst excluded). */
  readonly inputs: readonly { readonly port: string; readonly value: Expr }[];
  /** Output ports, each read through a wire `<instance>_<port>` of the parent. */
  readonly outputs: readonly { readonly port: string; readonly signal: Signal }[];
  /** The child has a clock domain, connected to the parent's. */
  readonly clocked: boolean;
}

/** Handle returned by Module.instance(). */
export interface Instance {
  readonly name: string;
  readonly module: Module;
  /** The parent-side signal carrying the child's output `port`. */
  out(port: string): Signal;
}

export type ReadMode = 'sync' | 'async';

export interface RomOptions {
  readonly shape: Shape;
  /** Entry i at address i; padded with zeros to 2^(address width). */
  readonly contents: readonly (bigint | number)[];
  /** Unsigned address; the ROM has 2^width entries. */
  readonly addr: Expr;
  /** 'sync' (default): data one clock after the address, like block RAM. */
  readonly read?: ReadMode;
}

export interface RamOptions {
  readonly shape: Shape;
  /** Unsigned write address; the RAM has 2^width entries. */
  readonly writeAddr: Expr;
  readonly writeData: Expr;
  /** u1 */
  readonly writeEnable: Expr;
  /** Unsigned, same width as writeAddr. */
  readonly readAddr: Expr;
  readonly read?: ReadMode;
}

export interface RomDef {
  readonly kind: 'rom';
  readonly name: string;
  /** Name of the Verilog memory array. */
  readonly memName: string;
  readonly shape: Shape;
  readonly depth: number;
  /** Exactly `depth` entries. */
  readonly contents: readonly bigint[];
  readonly addr: Expr;
  readonly read: ReadMode;
  readonly data: Signal;
}

export interface RamDef {
  readonly kind: 'ram';
  readonly name: string;
  readonly memName: string;
  readonly shape: Shape;
  readonly depth: number;
  readonly writeAddr: Expr;
  readonly writeData: Expr;
  readonly writeEnable: Expr;
  readonly readAddr: Expr;
  readonly read: ReadMode;
  readonly data: Signal;
}

export type MemoryDef = RomDef | RamDef;
