/**
 * The spill-capable AXI build the spill tests verilate once: holds mnist_tiny (which fits its
 * 1,024-word activation RAM), the reduced resnet18_0.125_32 and mobilenet_v1_0.25_32 (which do not:
 * they spill) and the random networks of src/verify/randomNetwork.ts that fit its widths.
 */
import { parseAccelConfig } from '../../src/accel/index.ts';

export const AXI_SPILL_CONFIG = parseAccelConfig({
  lanes: 8, actBits: 9, weightBits: 9, accBits: 24, normMulBits: 10, normOffBits: 32, scaleMulBits: 17, scaleOffBits: 32, preluBits: 8,
  shiftBits: 6, dimBits: 6, actAddrBits: 10, weightAddrBits: 11, paramAddrBits: 6, progAddrBits: 6, memory: 'axi', spill: true,
});
