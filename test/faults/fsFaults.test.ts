// Filesystem faults for every command that writes (issue 8, findings 1, 4
// and 5): a read-only folder, a full small tmpfs, a file or folder in the way,
// a symlink, a device node, a user's folder, a name too long, a file where a
// folder is expected. Each must end in exit 2 with one line naming the path,
// leave what was there untouched, and leave no temporaries; a user's folder
// is replaced only with --force. Real read-only and full filesystems are
// small tmpfs mounts when this runs as root (as the project's CI does);
// otherwise the same failures are injected into the output rules' fs layer.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { withOutputFs } from '../../src/output/index.ts';
import { cli, contractBreach, type CliResult } from './cliHarness.ts';
import { faultFs } from './faultFs.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-fsfaults-'));
const tinyFloat = fileURLToPath(new URL('../fixtures/models/tiny-separable.float.json', import.meta.url));
const isRoot = process.getuid?.() === 0;
const mounts: string[] = [];

function mountTmpfs(name: string, options: string): string | null {
  if (!isRoot) return null;
  const dir = path.join(root, name);
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  mounts.push(dir);
  return dir;
}

afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', [m], { stdio: 'ignore' });
    } catch {
      // Left mounted under the temporary folder; harmless.
    }
  }
  rmSync(root, { recursive: true, force: true });
});

interface Writer {
  readonly name: string;
  readonly kind: 'dir' | 'file';
  args(out: string): string[];
}

const WRITERS: readonly Writer[] = [
  { name: 'gen --unit', kind: 'dir', args: (o) => ['gen', '--unit', 'fifo', '--out', o] },
  { name: 'gen (every unit)', kind: 'dir', args: (o) => ['gen', '--out', o] },
  { name: 'fpga', kind: 'dir', args: (o) => ['fpga', '--unit', 'fifo', '--out', o] },
  { name: 'quantize', kind: 'file', args: (o) => ['quantize', '--in', tinyFloat, '--out', o] },
  { name: 'report', kind: 'file', args: (o) => ['report', '--model', 'mnist_tiny', '--format', 'json', '--out', o] },
];

/** Everything under a path, with contents: to show a failed command changed nothing. */
function snapshot(p: string): string {
  let st;
  try {
    st = lstatSync(p);
  } catch {
    return '(absent)';
  }
  if (st.isSymbolicLink()) return `link`;
  if (st.isFile()) return `file:${readFileSync(p, 'utf8')}`;
  if (!st.isDirectory()) return `special:${st.mode}`;
  return `dir{${readdirSync(p).sort().map((n) => `${n}=${snapshot(path.join(p, n))}`).join(',')}}`;
}

function expectRefused(r: CliResult, out: string, pattern: RegExp): void {
  expect(contractBreach(r, out)).toBeNull();
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(pattern);
}

function noDebris(out: string): void {
  const parent = path.dirname(out);
  if (!existsSync(parent)) return;
  expect(readdirSync(parent).filter((n) => n.startsWith(`.${path.basename(out)}.`))).toEqual([]);
}

let k = 0;
const fresh = (base = root): string => path.join(base, `out${k++}`);

describe.each(WRITERS)('$name', (w) => {
  it('writes, and writes again over its own output', async () => {
    const out = fresh();
    expect((await cli(...w.args(out))).code).toBe(0);
    const r = await cli(...w.args(out));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    noDebris(out);
  });

  it('refuses what is in the way, naming it, and changes nothing', async () => {
    // For a folder output: a file, a user's folder. For a file output: a folder.
    const inWay = fresh();
    if (w.kind === 'dir') writeFileSync(inWay, 'a file of the user');
    else {
      mkdirSync(inWay);
      writeFileSync(path.join(inWay, 'notes'), 'n');
    }
    const before = snapshot(inWay);
    expectRefused(await cli(...w.args(inWay)), inWay, w.kind === 'dir' ? /is a file, not a folder/ : /is a folder: refusing to replace it/);
    expect(snapshot(inWay)).toBe(before);
    if (w.kind === 'dir') {
      const user = fresh();
      mkdirSync(user);
      writeFileSync(path.join(user, 'thesis.tex'), 'years of work');
      const b = snapshot(user);
      expectRefused(await cli(...w.args(user)), user, /is a folder pikehdl did not write .* pass --force to replace it/);
      expect(snapshot(user)).toBe(b);
      expect((await cli(...w.args(user), '--force')).code).toBe(0);
      expect(existsSync(path.join(user, 'thesis.tex'))).toBe(false);
    }
  });

  it('never replaces a symlink or a device node', async () => {
    const target = fresh();
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep'), 'k');
    const link = fresh();
    symlinkSync(w.kind === 'dir' ? target : path.join(target, 'keep'), link);
    const before = snapshot(target);
    expectRefused(await cli(...w.args(link), ...(w.kind === 'dir' ? ['--force'] : [])), link, /is a symbolic link: pikehdl never replaces one/);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(snapshot(target)).toBe(before);
    const dev = fresh();
    // A character device (the null device's numbers) when root can make one, else a FIFO.
    if (isRoot) execFileSync('mknod', [dev, 'c', '1', '3']);
    else execFileSync('mkfifo', [dev]);
    expectRefused(await cli(...w.args(dev), ...(w.kind === 'dir' ? ['--force'] : [])), dev, /is not a regular file/);
    expect(isRoot ? lstatSync(dev).isCharacterDevice() : lstatSync(dev).isFIFO()).toBe(true);
  });

  it('a name too long, or a file where a folder is expected, is one line', async () => {
    expectRefused(await cli(...w.args(path.join(root, 'x'.repeat(300)))), 'x'.repeat(300), /ENAMETOOLONG \(name too long\)/);
    const f = fresh();
    writeFileSync(f, 'file');
    const under = path.join(f, 'sub');
    expectRefused(await cli(...w.args(under)), under, /(ENOTDIR|is not a folder)/);
  });

  it('a read-only folder: exit 2 naming the path, nothing written', async () => {
    const ro = mountTmpfs(`ro-${k++}`, 'ro,size=64k');
    if (ro !== null) {
      const out = fresh(ro);
      expectRefused(await cli(...w.args(out)), out, /EROFS \(read-only filesystem\)/);
      expect(readdirSync(ro)).toEqual([]);
    } else {
      const out = fresh();
      const r = await withOutputFs(faultFs({ filesLeft: 0, code: 'EROFS' }), () => cli(...w.args(out)));
      expectRefused(r, out, /EROFS/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a full disk: exit 2 naming the path, the previous output untouched, no partial units', async () => {
    const disk = mountTmpfs(`full-${k++}`, 'size=512k');
    const out = fresh(disk ?? root);
    // A previous complete output, then fill the disk but a few kB.
    expect((await cli(...w.args(out))).code).toBe(0);
    const before = snapshot(out);
    let r: CliResult;
    if (disk !== null) {
      const s = statfsSync(disk);
      writeFileSync(path.join(disk, 'filler'), Buffer.alloc(Math.max(0, s.bavail * s.bsize - 8192)));
      r = await cli(...w.args(out));
    } else {
      r = await withOutputFs(faultFs({ bytesLeft: 4096 }), () => cli(...w.args(out)));
    }
    expectRefused(r, out, /ENOSPC \(no space left on device\)/);
    expect(snapshot(out)).toBe(before);
    noDebris(out);
  });
});

describe('an output that is an input', () => {
  it('quantize and report refuse to overwrite their own input file', async () => {
    const net = fresh();
    writeFileSync(net, readFileSync(tinyFloat, 'utf8'));
    const before = snapshot(net);
    expectRefused(await cli('quantize', '--in', net, '--out', net), net, /is the --in file: refusing to overwrite an input/);
    expectRefused(await cli('report', '--model', net, '--out', path.join(path.dirname(net), '.', path.basename(net))), net, /is the --model file: refusing to overwrite an input/);
    expect(snapshot(net)).toBe(before);
  });
});

describe('two processes writing one folder', () => {
  it('both finish, the folder is one complete output, and no temporaries or lock remain', async () => {
    const { spawn } = await import('node:child_process');
    const out = fresh();
    const run = (width: number) =>
      new Promise<number | null>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'gen', '--unit', 'fifo', '--set', `width=${width}`, '--out', out], { stdio: 'ignore' });
        p.on('close', resolve);
      });
    expect(await Promise.all([run(8), run(16)])).toEqual([0, 0]);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { config: { width: number }; files: { name: string }[] };
    expect([8, 16]).toContain(manifest.config.width);
    expect(readdirSync(out).sort()).toEqual(['files.f', 'manifest.json', ...manifest.files.map((f) => f.name).filter((n) => n !== 'files.f' && n !== 'manifest.json')].sort());
    expect(readFileSync(path.join(out, 'fifo.v'), 'utf8')).toContain(`"width":${manifest.config.width}`);
    noDebris(out);
  });
});
