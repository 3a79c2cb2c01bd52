// The serialising wrapper around a pass-through core (skid_buffer) must
// return every word it was given, in order, under random back-pressure:
// checked in Icarus (a wrong beat order, a lost or a duplicated beat fails).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitDesign } from '../../hdl-gen/emit/index.ts';
import { findGenerator } from '../../hdl-gen/generators/index.ts';
import { serializer, serializerLayout } from '../../hdl-gen/units/serializer/index.ts';

const root = mkdtempSync(path.join(tmpdir(), 'pikehdl-ser-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const WORDS = 40;

function testbench(width: number, k: number, inBeats: number, outBeats: number): string {
  return `\`timescale 1ns/1ps
module tb;
  reg clk = 0, rst = 1, in_valid = 0, out_ready = 0;
  reg [${k - 1}:0] in_data = 0;
  wire in_ready, out_valid;
  wire [${k - 1}:0] out_data;
  wrap_ser dut(.clk(clk), .rst(rst), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
               .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data));
  always #5 clk = ~clk;
  reg [${inBeats * k - 1}:0] words [0:${WORDS - 1}];
  reg [${outBeats * k - 1}:0] got;
  integer sent = 0, beat = 0, recv = 0, rbeat = 0, errors = 0, cycles = 0, i;
  initial begin
    for (i = 0; i < ${WORDS}; i = i + 1) words[i] = {$random, $random, $random} & ((1 << ${width}) - 1);
    words[0] = 0; words[1] = {${width}{1'b1}};
    got = 0;
    #22 rst = 0;
  end
  always @(posedge clk) if (!rst) begin
    cycles = cycles + 1;
    if (in_valid && in_ready) begin
      beat = beat + 1;
      if (beat == ${inBeats}) begin beat = 0; sent = sent + 1; end
    end
    if (out_valid && out_ready) begin
      got = got | ({{${(outBeats - 1) * k}{1'b0}}, out_data} << (rbeat * ${k}));
      rbeat = rbeat + 1;
      if (rbeat == ${outBeats}) begin
        if (got[${width - 1}:0] !== words[recv][${width - 1}:0]) begin
          errors = errors + 1;
          $display("MISMATCH word %0d: got %h expected %h", recv, got[${width - 1}:0], words[recv][${width - 1}:0]);
        end
        recv = recv + 1; rbeat = 0; got = 0;
      end
    end
    in_valid <= (sent < ${WORDS}) && ($random & 1);
    out_ready <= $random & 1;
    if (recv == ${WORDS} || cycles > 20000) begin
      $display("DONE compared=%0d errors=%0d", recv, errors);
      $finish;
    end
  end
  always @* in_data = (sent < ${WORDS}) ? words[sent] >> (beat * ${k}) : 0;
endmodule
`;
}

describe('serializer wrapper', () => {
  it.each([
    [20, 8],
    [16, 8],
    [5, 8],
  ])('round-trips %i-bit words through %i-bit ports', (width, k) => {
    const gen = findGenerator('skid_buffer')!;
    const core = gen.build({ name: 'core_pass', width });
    const l = serializerLayout(core, k);
    const design = emitDesign(serializer(core, { name: 'wrap_ser', portBits: k }));
    const dir = mkdtempSync(path.join(root, 'case-'));
    for (const s of design.sources) writeFileSync(path.join(dir, s.name), s.text);
    writeFileSync(path.join(dir, 'tb.v'), testbench(width, k, l.inBeats, l.outBeats));
    execFileSync('iverilog', ['-g2005', '-o', 'sim.vvp', 'tb.v', ...design.sources.map((s) => s.name)], { cwd: dir, stdio: 'pipe' });
    const out = execFileSync('vvp', ['-n', 'sim.vvp'], { cwd: dir, encoding: 'utf8' });
    expect(out).toContain(`DONE compared=${WORDS} errors=0`);
  });
});
