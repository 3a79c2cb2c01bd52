/**
 * A serialising wrapper: puts a narrow valid/ready stream around a unit whose
 * in_data/out_data are too wide for a package's pins. Input beats of
 * `portBits` bits are shifted into a register, beat 0 ending in the low bits;
 * when ceil(inWidth / portBits) beats are in, the word goes to the core. The
 * core's result is captured and shifted out the same way, low beat first.
 *
 * Throughput is one transaction per max(inBeats, outBeats) + 1 cycles or so:
 * the wrapper exists so that place-and-route has pins, not to run the unit at
 * rate. The core's timing paths are unchanged (its ports are registered on
 * both sides by the wrapper), so nextpnr's Fmax is the core's, bounded by the
 * wrapper's own small counters.
 */
import { type Shape, unsigned } from '../../../src/arith/index.ts';
import { DslError } from '../../dsl/dslError.ts';
import { cat, constant, mux } from '../../dsl/expr.ts';
import { Module } from '../../dsl/module.ts';

export interface SerializerOptions {
  /** The wrapper module's name (a Verilog identifier). */
  readonly name: string;
  /** Width of the narrow in_data and out_data ports. */
  readonly portBits: number;
}

export interface SerializerLayout {
  readonly inWidth: number;
  readonly outWidth: number;
  readonly inBeats: number;
  readonly outBeats: number;
  /** Pins of the wrapper: clk, rst, 2 x (valid, ready) and 2 x portBits. */
  readonly pins: number;
}

function bitsFor(max: number): number {
  return Math.max(1, Math.ceil(Math.log2(max + 1)));
}

function portShape(core: Module, port: string): Shape {
  const p = core.ports.find((s) => s.name === port);
  if (p === undefined) throw new DslError(`serializer: module ${core.name} has no port ${port}: it must follow the stream convention (in_*/out_*)`);
  return p.shape;
}

export function serializerLayout(core: Module, portBits: number): SerializerLayout {
  if (!Number.isInteger(portBits) || portBits < 1 || portBits > 64) {
    throw new DslError(`serializer: portBits ${String(portBits)} is invalid: expected an integer from 1 to 64`);
  }
  const inWidth = portShape(core, 'in_data').width;
  const outWidth = portShape(core, 'out_data').width;
  return {
    inWidth,
    outWidth,
    inBeats: Math.ceil(inWidth / portBits),
    outBeats: Math.ceil(outWidth / portBits),
    pins: 6 + 2 * portBits,
  };
}

/** The wrapper module, instantiating `core` as `core`. */
export function serializer(core: Module, opts: SerializerOptions): Module {
  const k = opts.portBits;
  const l = serializerLayout(core, k);
  const inShape = portShape(core, 'in_data');
  const outShape = portShape(core, 'out_data');
  const m = new Module(opts.name, {
    generator: 'serializer',
    config: { name: opts.name, portBits: k, core: core.name },
    description: `${k}-bit serialising wrapper around ${core.name}: ${l.inBeats} beats in, ${l.outBeats} beats out`,
  });
  const inp = m.streamIn('in', unsigned(k));
  const out = m.streamOut('out', unsigned(k));

  // Input side: count beats 0..inBeats; at inBeats the word is offered to the core.
  const inCountShape = unsigned(bitsFor(l.inBeats));
  const inCount = m.reg('in_count', inCountShape, { reset: 0 });
  const inShift = m.reg('in_shift', unsigned(l.inBeats * k), { reset: 'none' });
  const inFull = m.wire('in_full', inCount.eq(constant(l.inBeats, inCountShape)));
  m.assign(inp.ready, inFull.not());

  // Output side: count beats left 0..outBeats; at 0 the core may hand over a result.
  const outCountShape = unsigned(bitsFor(l.outBeats));
  const outCount = m.reg('out_count', outCountShape, { reset: 0 });
  const outShift = m.reg('out_shift', unsigned(l.outBeats * k), { reset: 'none' });
  const outEmpty = m.wire('out_empty', outCount.eq(constant(0, outCountShape)));

  const coreInData = inShift.slice(l.inWidth - 1, 0);
  const inst = m.instance('core', core, {
    in_valid: inFull,
    in_data: inShape.signed ? coreInData.asSigned() : coreInData,
    out_ready: outEmpty,
  });
  if (l.inBeats * k > l.inWidth) m.markUnused(inShift);

  const inTake = m.wire('in_take', inFull.not().and(inp.valid));
  const coreTake = m.wire('core_take', inFull.and(inst.out('in_ready')));
  m.update(inShift, l.inBeats === 1 ? inp.data : cat(inp.data, inShift.slice(l.inBeats * k - 1, k)), { enable: inTake });
  m.update(inCount, mux(coreTake, constant(0, inCountShape), inCount.add(1).truncate(inCountShape.width)), {
    enable: inTake.or(coreTake),
  });

  const coreOut = inst.out('out_data');
  const coreOutBits = outShape.signed ? coreOut.asUnsigned() : coreOut;
  const captured = l.outBeats * k > l.outWidth ? coreOutBits.resize(unsigned(l.outBeats * k)) : coreOutBits;
  const capture = m.wire('capture', outEmpty.and(inst.out('out_valid')));
  const emit = m.wire('emit', outEmpty.not().and(out.ready));
  const drained = l.outBeats === 1 ? constant(0, unsigned(k)) : cat(constant(0, unsigned(k)), outShift.slice(l.outBeats * k - 1, k));
  m.update(outShift, mux(capture, captured, drained), { enable: capture.or(emit) });
  m.update(outCount, mux(capture, constant(l.outBeats, outCountShape), outCount.sub(1).truncate(outCountShape.width).asUnsigned()), {
    enable: capture.or(emit),
  });
  m.assign(out.valid, outEmpty.not());
  m.assign(out.data, outShift.slice(k - 1, 0));
  return m;
}
