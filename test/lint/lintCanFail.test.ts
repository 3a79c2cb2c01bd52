// The lint gate must be able to fail: a deliberately bad design (implicit
// net, width mismatches, a wire read but never driven) is flagged by every
// one of the three tools, including Icarus, which only warns and exits 0.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LintTool, lintCheck, requireLintTool } from './tools.ts';

const BAD = `module bad (
  input wire [7:0] a,
  output wire [3:0] y
);
  wire [7:0] nodriver;
  assign imp = a[0];
  assign y = a + nodriver + {3'b0, imp};
endmodule
`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-lint-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lint gate on a bad design', () => {
  writeFileSync(path.join(dir, 'bad.v'), BAD);
  const expected: Record<LintTool, RegExp> = {
    verilator: /IMPLICIT|WIDTH|UNDRIVEN/,
    iverilog: /implicit definition of wire 'imp'/,
    yosys: /used but has no driver/,
  };
  for (const tool of ['verilator', 'iverilog', 'yosys'] as const) {
    it(`${tool} rejects it`, async () => {
      requireLintTool(tool);
      const failure = await lintCheck(tool, 'bad', ['bad.v'], dir);
      expect(failure).toMatch(expected[tool]);
    });
  }
});
