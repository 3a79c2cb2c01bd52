/** The layer engine's states; the AXI build uses LOADWAIT as its idle state (waiting for START) and never LOAD. */
export const ST = { LOADWAIT: 0, LOAD: 1, FETCH: 2, RUN: 3, DRAIN: 4, OUT: 5 } as const;
