import * as P from './protocol.ts';
import { renderTemplate } from './renderTemplate.ts';
import type { SimDesign } from './types.ts';

/** C++ harness source for a validated design. */
export function renderHarness(design: SimDesign): string {
  return renderTemplate('harness/harness.cpp.hbs', {
    top: design.top,
    inWidth: design.inWidth,
    outWidth: design.outWidth,
    requestMagic: P.REQUEST_MAGIC,
    responseMagic: P.RESPONSE_MAGIC,
    protocolVersion: P.PROTOCOL_VERSION,
    requestHeaderBytes: P.REQUEST_HEADER_BYTES,
    responseHeaderBytes: P.RESPONSE_HEADER_BYTES,
    flagBackpressure: P.FLAG_BACKPRESSURE,
    flagBench: P.FLAG_BENCH,
    statusOk: P.STATUS_OK,
    statusCycleBudget: P.STATUS_CYCLE_BUDGET,
    statusBadRequest: P.STATUS_BAD_REQUEST,
    statusProtocolViolation: P.STATUS_PROTOCOL_VIOLATION,
    statusFinished: P.STATUS_FINISHED,
    statusExtraOutput: P.STATUS_EXTRA_OUTPUT,
    headerOffsets: P.headerOffsetsCpp(),
    budgetBase: P.BUDGET_BASE_CYCLES,
    budgetPerTransaction: P.BUDGET_CYCLES_PER_TRANSACTION,
    resetCycles: P.RESET_CYCLES,
    sentinelPrefix: P.SENTINEL_PREFIX,
  }).text;
}
