/**
 * The AXI build's AXI4-Lite register map: one object that the RTL generator
 * (hdl-gen/accel/axiLiteRegs.ts), the harness driver (sim/accel/axiSim.ts),
 * the C header (axiHeader.ts) and the docs' table are all made from, so the
 * offsets exist once. 32-bit registers, byte offsets, s_axil_* address width 8.
 */
export type RegisterAccess = 'rw' | 'r' | 'w1c';

export interface AxiRegister {
  readonly name: string;
  readonly offset: number;
  readonly access: RegisterAccess;
  readonly description: string;
}

export const AXIL_ADDR_BITS = 8;
/** ID register value: "PK" and the register map's version (bump it when an offset changes). */
export const AXI_ID_VALUE = 0x504b0001;
export const CTRL_START = 1;
export const CTRL_IRQ_ENABLE = 2;
export const STATUS_BUSY = 1;
export const STATUS_DONE = 2;
export const STATUS_ERROR = 4;

export const AXI_REGISTERS = Object.freeze([
  { name: 'CTRL', offset: 0x00, access: 'rw', description: 'bit 0 START: write 1 to start an inference (reads 0); bit 1 IRQ_EN: irq follows STATUS.DONE' },
  { name: 'STATUS', offset: 0x04, access: 'w1c', description: 'bit 0 BUSY; bit 1 DONE (sticky, write 1 to clear; START clears it too); bit 2 ERROR (an R or B response was not OKAY, or START was refused: NLAYERS 0 or above the program buffer, or a base not aligned to the bus width; DONE is then set at once; cleared by the next START)' },
  { name: 'ID', offset: 0x08, access: 'r', description: '0x504B0001: "PK" and the register map version 1' },
  { name: 'HWCFG', offset: 0x0c, access: 'r', description: 'lanes [7:0], actBits [15:8], weightBits [23:16], AXI data bytes [31:24]' },
  { name: 'BUFCFG', offset: 0x10, access: 'r', description: 'address bits of the activation RAM [7:0], weight buffer [15:8], parameter buffer [23:16], program buffer [31:24]' },
  { name: 'NLAYERS', offset: 0x14, access: 'rw', description: 'descriptors in the program region (1 .. 2^progAddrBits)' },
  { name: 'PROG_BASE', offset: 0x18, access: 'rw', description: 'byte address of the layer program (descriptors, one per ceil(descriptor bits / data bits) beats)' },
  { name: 'WEIGHT_BASE', offset: 0x1c, access: 'rw', description: 'byte address of the weight words, all layers in order' },
  { name: 'PARAM_BASE', offset: 0x20, access: 'rw', description: 'byte address of the per-channel parameter words, all layers in order' },
  { name: 'INPUT_BASE', offset: 0x24, access: 'rw', description: 'byte address of the input tensor: NHWC elements, each two\'s complement in PIKE_ACCEL_INPUT_ELEMENT_BYTES bytes, packed' },
  { name: 'OUTPUT_BASE', offset: 0x28, access: 'rw', description: 'byte address the output tensor (activation words) is written to' },
  { name: 'CYCLES', offset: 0x2c, access: 'r', description: 'cycles from START to DONE of the last inference' },
  { name: 'COMPUTE_CYCLES', offset: 0x30, access: 'r', description: 'cycles the layer engine ran (fetch, taps, drain): the cycle model of src/accel/performance.ts' },
  { name: 'STALL_CYCLES', offset: 0x34, access: 'r', description: 'cycles a layer waited for its weight or parameter words (or the program and input)' },
  { name: 'MACS', offset: 0x38, access: 'r', description: 'useful multiply-accumulates' },
  { name: 'BYTES_READ', offset: 0x3c, access: 'r', description: 'bytes read over m_axi_* (R beats x data bytes)' },
  { name: 'BYTES_WRITTEN', offset: 0x40, access: 'r', description: 'bytes written over m_axi_* (W beats x data bytes)' },
  { name: 'LAYER_SEL', offset: 0x44, access: 'rw', description: 'descriptor index whose stall cycles LAYER_STALL returns' },
  { name: 'LAYER_STALL', offset: 0x48, access: 'r', description: 'stall cycles of descriptor LAYER_SEL in the last inference (its FETCH waiting for its words; for descriptor 0 this includes the program and the input)' },
  { name: 'ACT_BASE', offset: 0x4c, access: 'rw', description: 'byte address of the activation region: the intermediate tensors as activation words, when a spill build\'s program does not fit the activation RAM (unused otherwise)' },
] as const satisfies readonly AxiRegister[]);

export type AxiRegisterName = (typeof AXI_REGISTERS)[number]['name'];

export function registerOffset(name: AxiRegisterName): number {
  return AXI_REGISTERS.find((r) => r.name === name)!.offset;
}
