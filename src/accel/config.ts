/**
 * The accelerator's hardware configuration: one validated, frozen object
 * (Gemmini style) that drives the compiler, the TypeScript interpreter, the
 * RTL generator and the manifest, so software and hardware cannot disagree.
 *
 * Every width is the width of a hardware operand; the compiler refuses a
 * network whose values do not fit (naming the layer, the field and the width
 * it would need). Memory sizes are given as address widths (entries =
 * 2^bits): the DSL's memories have power-of-two depths.
 */
import { z } from 'zod';

const int = (lo: number, hi: number) => z.number().int('must be an integer').min(lo, `must be >= ${lo}`).max(hi, `must be <= ${hi}`);

export const accelConfigSchema = z
  .strictObject({
    /** Channels per activation word; the MAC array is lanes x lanes (rows = output channels, columns = input channels). */
    lanes: int(1, 16).default(8),
    /** Signed width of a stored activation (an unsigned b-bit tensor needs b + 1). */
    actBits: int(2, 17).default(9),
    /** Signed width of a weight (also the alignment multipliers of residual adds, and 1 for pooling). */
    weightBits: int(2, 16).default(8),
    /** Signed accumulator width. */
    accBits: int(4, 48).default(32),
    /** Signed widths of the per-channel parameters: QuantNorm multiplier and offset, scale multiplier and offset, PReLU slope. */
    normMulBits: int(2, 24).default(16),
    normOffBits: int(2, 48).default(32),
    scaleMulBits: int(2, 24).default(18),
    scaleOffBits: int(2, 48).default(32),
    preluBits: int(2, 24).default(17),
    /** Width of the shift fields (shifts 0 .. 2^bits - 1). */
    shiftBits: int(1, 7).default(6),
    /** Width of the geometry fields (heights, widths, channel groups, kernels). */
    dimBits: int(2, 12).default(8),
    /** Address widths: activation RAM (words of `lanes` activations), weight ROM (words of lanes^2 weights), parameter ROM, layer program ROM. */
    // Up to 2^20 words: a 224x224 network's live tensors on a 16-lane array need 2^17 activation words and
    // ResNet-18's weights 2^16 words of 256 weights (docs/performance.md); the cap bounds the simulator's memories.
    actAddrBits: int(2, 20).default(11),
    weightAddrBits: int(2, 20).default(9),
    paramAddrBits: int(1, 16).default(6),
    progAddrBits: int(1, 10).default(4),
    /** Width of the output stream (logits, class and counters, each sign-extended or truncated to this). */
    outBits: int(16, 64).default(32),
    /**
     * false: weights, parameters and the layer program are ROMs initialised with one network's images.
     * true: they are RAMs written through the input stream (tagged beats, src/accel/layout.ts
     * loadBeats), so one build runs any network that fits: what a deployed accelerator does.
     */
    loadable: z.boolean('must be true or false').default(false),
    /**
     * Where the weights, parameters, program and the input/output tensors live. Absent (or
     * 'onchip'): ROMs / loadable RAMs and streams, as above. 'axi': external memory through an
     * AXI4 master (m_axi_*), control through an AXI4-Lite slave (s_axil_*), weight and parameter
     * words double-buffered per layer (src/accel/axiMemoryMap.ts). Optional, with no default, so
     * that an on-chip configuration object (and the RTL header that records it) is unchanged.
     */
    memory: z.enum(['onchip', 'axi'], 'must be "onchip" or "axi"').optional(),
    /** AXI build: data bus width of m_axi_* in bits. */
    axiDataBits: z.union([z.literal(32), z.literal(64), z.literal(128), z.literal(256)], 'must be 32, 64, 128 or 256').optional(),
    /** AXI build: most beats in one burst (ARLEN/AWLEN + 1); bursts also stop at 4 KiB boundaries. */
    axiMaxBurst: int(1, 256).optional(),
    /** AXI build: most read bursts in flight (issued, last beat not yet received). */
    axiMaxOutstanding: int(1, 15).optional(),
    /**
     * AXI build: activations may spill to external memory. A program whose live tensors do not fit
     * the activation RAM then keeps every tensor in an activation region (ACT_BASE) and runs each
     * layer as output-row bands (src/accel/compileSpill.ts); a program that fits runs as before.
     * Optional, so that an AXI build without it is unchanged.
     */
    spill: z.boolean('must be true or false').optional(),
  })
  .superRefine((c, ctx) => {
    if (c.memory === 'axi') {
      if (c.loadable) ctx.addIssue({ code: 'custom', path: ['loadable'], message: 'must be false with memory "axi" (the AXI build loads its memories over m_axi_*)' });
      // Each buffer is two halves (double buffering): a half needs at least one address bit.
      if (c.paramAddrBits < 2) ctx.addIssue({ code: 'custom', path: ['paramAddrBits'], message: 'must be >= 2 with memory "axi" (two buffer halves)' });
      return;
    }
    for (const k of ['axiDataBits', 'axiMaxBurst', 'axiMaxOutstanding', 'spill'] as const) {
      if (c[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'is only meaningful with memory "axi"' });
    }
  });

export type AccelConfigInput = z.input<typeof accelConfigSchema>;
export type AccelConfig = Readonly<z.infer<typeof accelConfigSchema>>;

export class AccelConfigError extends Error {}

/** Validate a configuration; the error names the field and the rule. */
export function parseAccelConfig(raw: unknown): AccelConfig {
  const r = accelConfigSchema.safeParse(raw ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new AccelConfigError(`accelerator config: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return Object.freeze(r.data);
}

export const DEFAULT_ACCEL_CONFIG: AccelConfig = parseAccelConfig({});
