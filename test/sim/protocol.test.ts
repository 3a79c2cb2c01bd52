// The header layout lives once, in sim/protocol.ts's field tables: the
// harness is rendered from them and its template writes no offset by hand.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as P from '../../sim/protocol.ts';
import { renderHarness } from '../../sim/renderHarness.ts';

const template = readFileSync(fileURLToPath(new URL('../../templates/harness/harness.cpp.hbs', import.meta.url)), 'utf8');

describe('protocol field tables', () => {
  it('lay both headers out back to back at their documented sizes', () => {
    expect(P.REQUEST_HEADER_BYTES).toBe(40);
    expect(P.RESPONSE_HEADER_BYTES).toBe(56);
    expect(P.REQUEST_LAYOUT.offset.drainCycles).toBe(26);
    expect(P.RESPONSE_LAYOUT.offset.cpuNs).toBe(48);
  });

  it('render every offset into the harness, and the template uses no literal header offset', () => {
    const cpp = renderHarness({ top: 'probe', sources: [], inWidth: 8, outWidth: 8 });
    for (const f of P.REQUEST_LAYOUT.fields) expect(cpp).toMatch(new RegExp(`constexpr unsigned REQ_[A-Z_]+ = ${f.offset};  // ${f.type}`));
    expect(cpp).toContain('constexpr unsigned REQ_DRAIN_CYCLES = 26;');
    expect(cpp).toContain('constexpr unsigned RESP_OUT_HANDSHAKES = 24;');
    // Reads and writes of header bytes go through the named offsets only.
    expect(template).not.toMatch(/\b(hdr|h) \+ \d/);
    expect(template).not.toMatch(/hdr\[\d/);
  });

  it('encodes a request whose fields sit where the table says', () => {
    const b = P.encodeRequestHeader({ flags: 1, frameId: 7, count: 3, expectOutputs: 2, seed: 9, inValidPct: 50, outReadyPct: 60, drainCycles: 300, repeats: 0, cycleBudget: 0 });
    expect(b.readUInt16LE(P.REQUEST_LAYOUT.offset.drainCycles)).toBe(300);
    expect(b.readUInt8(P.REQUEST_LAYOUT.offset.outReadyPct)).toBe(60);
    expect(b.readUInt32LE(P.REQUEST_LAYOUT.offset.frameId)).toBe(7);
  });
});
