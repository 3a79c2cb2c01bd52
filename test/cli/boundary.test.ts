// The CLI's error boundary (src/cli/errorBoundary.ts) and output hygiene:
// exit codes 0/1/2/3, one line for user and environment errors, a report
// request for internal errors, control characters escaped on the terminal and
// in SVG, a closed pipe ending quietly, a missing simulator as exit 2 with the
// install hint. Regression tests for issue 8, findings 4 and 6.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classify, REPORT_REQUEST } from '../../src/cli/errorBoundary.ts';
import { SimError } from '../../sim/simError.ts';
import { cli } from '../faults/cliHarness.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-boundary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('exit codes', () => {
  it('a missing required option exits 2 (commander would exit 1)', async () => {
    const r = await cli('quantize', '--in', 'x.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/required option '--out <file>' not specified/);
  });

  it('an unknown command or option exits 2; --help exits 0', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('gen', '--no-such-option')).code).toBe(2);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: pikehdl/);
  });

  it('an internal error exits 3 with its stack and a request to report it', () => {
    const o = classify(new TypeError('x.y is undefined'));
    expect(o.code).toBe(3);
    expect(o.text).toMatch(/^pikehdl: internal error: TypeError: x\.y is undefined\n\s+at /);
    expect(o.text.endsWith(`${REPORT_REQUEST}\n`)).toBe(true);
  });

  it('a filesystem refusal nobody named, and a missing tool, exit 2 with one line', () => {
    const e = Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS', syscall: 'open', path: '/ro/x' });
    expect(classify(e)).toEqual({ code: 2, text: 'pikehdl: /ro/x: open failed: EROFS (read-only filesystem)\n' });
    const tool = classify(new SimError('verilator not found on PATH; install it with apt-get install verilator (see README)', 'tool-missing'));
    expect(tool).toEqual({ code: 2, text: 'pikehdl sim: verilator not found on PATH; install it with apt-get install verilator (see README)\n' });
    // A real design failure stays a verification failure, handled by cosim itself (exit 1).
    expect(classify(new SimError('mismatch', 'mismatch')).code).toBe(3);
  });
});

describe('environment errors in cosim', () => {
  it('an unusable build folder is exit 2 with one line, not a stack trace or FAIL', async () => {
    const notDir = path.join(dir, 'a-file');
    writeFileSync(notDir, 'x');
    const saved = process.env.PIKEHDL_BUILD_DIR;
    try {
      for (const [value, pattern] of [[notDir, /ENOTDIR|EEXIST/], ['', /PIKEHDL_BUILD_DIR is set but empty/]] as const) {
        process.env.PIKEHDL_BUILD_DIR = value;
        const r = await cli('cosim', '--unit', 'requantizer', '--transactions', '2');
        expect(r.code).toBe(2);
        // Progress lines ("cosim 1/3 ...") aside, one line: the error.
        expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('cosim '))).toHaveLength(1);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.stderr).toMatch(pattern);
        expect(r.stdout).not.toMatch(/FAIL/);
      }
    } finally {
      if (saved === undefined) delete process.env.PIKEHDL_BUILD_DIR;
      else process.env.PIKEHDL_BUILD_DIR = saved;
    }
  });
});

describe('control characters', () => {
  const evil = '\u001b[2J\u001b[31mpwned\u202eevil\u0007';
  const net = path.join(dir, 'evil.json');
  writeFileSync(net, JSON.stringify({
    format: 'pikehdl-float-network', version: 1, name: evil,
    input: { height: 4, width: 4, channels: 1 },
    layers: [{ op: 'conv2d', name: 'c', outChannels: 2, kernel: 3, padding: 1 }],
  }));

  it('never reach the terminal raw, in output or in errors', async () => {
    const r = await cli('report', '--model', net);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\\u001b[2J\\u001b[31mpwned\\u202eevil\\u0007');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    const bad = await cli('gen', '--unit', evil);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(RAW_CONTROL);
    expect(bad.stderr).toContain('--unit "\\u001b[2J');
  });

  it('are escaped in SVG and HTML, which stay valid XML text', async () => {
    for (const format of ['svg', 'html']) {
      const out = path.join(dir, `r.${format}`);
      const r = await cli('report', '--model', net, '--format', format);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(RAW_CONTROL);
      const w = await cli('report', '--model', net, '--format', format, '--out', out);
      expect(w.code).toBe(0);
    }
  });
});

describe('the process', () => {
  const node = (args: string[], env: NodeJS.ProcessEnv = process.env, input?: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env, input });

  it('a reader that closes the pipe early (| head) ends output quietly, no EPIPE stack', () => {
    // The HTML report (about 80 kB) is larger than a pipe's buffer, so the writer meets the closed pipe.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" --import tsx src/cli/main.ts report --paper --format html | head -c 20 >/dev/null; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('status 0\n');
  });

  it('a missing simulator exits 2 with the install hint, not FAIL / exit 1', () => {
    const r = node(['cosim', '--unit', 'requantizer', '--transactions', '2'], { ...process.env, PATH: path.join(dir, 'no-tools-here') });
    expect(r.stdout).not.toMatch(/FAIL/);
    expect(r.stderr).toBe('pikehdl sim: verilator not found on PATH; install it with apt-get install verilator (see README)\n');
    expect(r.status).toBe(2);
  });
});
