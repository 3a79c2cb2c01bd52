/** The AXI build the tests verilate once: holds mnist_tiny (pikelpn, fitted widths) and every network randomNetwork.ts draws that fits (or the compiler refuses it). */
import { parseAccelConfig } from '../../src/accel/index.ts';

export const AXI_TEST_CONFIG = parseAccelConfig({
  lanes: 8, actBits: 9, weightBits: 8, accBits: 24, normMulBits: 10, normOffBits: 32, scaleMulBits: 17, scaleOffBits: 32, preluBits: 8,
  shiftBits: 6, dimBits: 5, actAddrBits: 10, weightAddrBits: 7, paramAddrBits: 4, progAddrBits: 4, memory: 'axi',
});
