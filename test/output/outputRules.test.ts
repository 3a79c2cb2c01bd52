// The output rules (src/output): what may be replaced, what never is, and
// that a failure at any point (a full disk included) leaves the old output
// whole and no temporaries behind. Each case names the finding of issue 8 it
// guards (data loss at --out, symlinks and devices replaced, racing writers).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputError, checkOutputDir, withOutputFs, writeOutputDir, writeOutputFile } from '../../src/output/index.ts';
import { faultFs } from '../faults/faultFs.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'pikehdl-output-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => path.join(root, `case${n++}`);
const debris = (dir: string): string[] => readdirSync(path.dirname(dir)).filter((x) => x.startsWith(`.${path.basename(dir)}.`));

const writeAB = (dir: string, opts = {}) =>
  writeOutputDir(dir, (w) => {
    w.file('a.txt', 'A');
    w.dir('sub').file('b.txt', 'B');
  }, opts);

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(OutputError);
    return (e as Error).message;
  }
  throw new Error('the write was not refused');
}

describe('writeOutputDir', () => {
  it('writes into an absent or empty folder and marks it with a pikehdl manifest', async () => {
    const a = fresh();
    await writeAB(a);
    expect(readdirSync(a).sort()).toEqual(['a.txt', 'manifest.json', 'sub']);
    expect(JSON.parse(readFileSync(path.join(a, 'manifest.json'), 'utf8'))).toMatchObject({ generatedBy: 'pikehdl' });
    const e = fresh();
    mkdirSync(e);
    await writeAB(e);
    expect(readFileSync(path.join(e, 'sub', 'b.txt'), 'utf8')).toBe('B');
    expect(debris(a)).toEqual([]);
  });

  it('replaces its own output whole (stale files go)', async () => {
    const d = fresh();
    await writeAB(d);
    writeFileSync(path.join(d, 'stale'), 'x');
    await writeOutputDir(d, (w) => w.file('c.txt', 'C'));
    expect(readdirSync(d).sort()).toEqual(['c.txt', 'manifest.json']);
  });

  it("refuses a user's non-empty folder, naming it, and keeps every file; --force replaces it", async () => {
    const d = fresh();
    mkdirSync(d);
    writeFileSync(path.join(d, 'thesis.tex'), 'years of work');
    const msg = await refusal(writeAB(d));
    expect(msg).toBe(`${d}: is a folder pikehdl did not write (no pikehdl manifest.json; 1 entry): refusing to replace it; choose a new or empty folder, or pass --force to replace it`);
    expect(readFileSync(path.join(d, 'thesis.tex'), 'utf8')).toBe('years of work');
    expect(() => checkOutputDir(d)).toThrow(OutputError);
    await writeAB(d, { force: true });
    expect(existsSync(path.join(d, 'thesis.tex'))).toBe(false);
  });

  it('refuses a file in the way unless --force', async () => {
    const f = fresh();
    writeFileSync(f, 'data');
    expect(await refusal(writeAB(f))).toMatch(/is a file, not a folder: refusing to replace it/);
    expect(readFileSync(f, 'utf8')).toBe('data');
    await writeAB(f, { force: true });
    expect(statSync(f).isDirectory()).toBe(true);
  });

  it('never replaces a symbolic link, even with --force (the link and its target stay)', async () => {
    const target = fresh();
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep'), 'k');
    const link = fresh();
    symlinkSync(target, link);
    for (const force of [false, true]) expect(await refusal(writeAB(link, { force }))).toMatch(/is a symbolic link: pikehdl never replaces one/);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(target, 'keep'), 'utf8')).toBe('k');
  });

  it('never replaces the current folder, one above it, or the repository, even with --force', async () => {
    for (const p of ['.', '..', process.cwd(), path.parse(process.cwd()).root]) {
      expect(await refusal(writeAB(p, { force: true }))).toMatch(/refusing to write here: it (is the current folder|contains the current folder|is the pikehdl repository|is the filesystem root)/);
    }
  });

  it('a full disk part-way keeps the old output and leaves no temporary (injected ENOSPC)', async () => {
    const d = fresh();
    await writeAB(d);
    const before = readFileSync(path.join(d, 'a.txt'), 'utf8');
    const msg = await refusal(withOutputFs(faultFs({ bytesLeft: 1 }), () => writeOutputDir(d, (w) => {
      w.file('big.txt', 'x'.repeat(100));
    })));
    expect(msg).toBe(`${d}: cannot write big.txt: ENOSPC (no space left on device)`);
    expect(readFileSync(path.join(d, 'a.txt'), 'utf8')).toBe(before);
    expect(debris(d)).toEqual([]);
  });

  it('a swap that cannot happen keeps the old output (injected EIO on rename)', async () => {
    const d = fresh();
    await writeAB(d);
    await refusal(withOutputFs(faultFs({ failRename: true }), () => writeOutputDir(d, (w) => w.file('new', 'n'))));
    expect(readdirSync(d).sort()).toEqual(['a.txt', 'manifest.json', 'sub']);
    expect(debris(d)).toEqual([]);
  });

  it('two writers racing into one folder both finish and leave one complete output', async () => {
    const d = fresh();
    const slow = (tag: string) => writeOutputDir(d, async (w) => {
      for (let i = 0; i < 20; i++) {
        w.file(`f${i}`, tag);
        await new Promise((r) => setTimeout(r, 1));
      }
    });
    await Promise.all([slow('a'), slow('b'), slow('c')]);
    const files = readdirSync(d).filter((f) => f.startsWith('f'));
    expect(files).toHaveLength(20);
    const tags = new Set(files.map((f) => readFileSync(path.join(d, f), 'utf8')));
    expect(tags.size).toBe(1);
    expect(debris(d)).toEqual([]);
  });

  it('removes the temporaries of a killed earlier run (its process, PID + start time, is gone)', async () => {
    const d = fresh();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const left = path.join(path.dirname(d), `.${path.basename(d)}.tmp-${dead}-123-deadbeef`);
    // A live PID with another start time: the PID was reused, the writer is gone.
    const reused = path.join(path.dirname(d), `.${path.basename(d)}.old-${process.pid}-1-cafebabe`);
    mkdirSync(left);
    mkdirSync(reused);
    await writeAB(d);
    expect(debris(d)).toEqual([]);
  });
});

describe('writeOutputFile', () => {
  it('replaces a regular file atomically, keeping its mode', () => {
    const f = fresh();
    writeFileSync(f, 'old', { mode: 0o600 });
    writeOutputFile(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('never replaces a symlink, a folder, a pipe or a device node', () => {
    const target = fresh();
    writeFileSync(target, 'T');
    const link = fresh();
    symlinkSync(target, link);
    expect(() => writeOutputFile(link, 'x')).toThrow(/is a symbolic link: pikehdl never replaces one/);
    expect(readFileSync(target, 'utf8')).toBe('T');
    const dir = fresh();
    mkdirSync(dir);
    expect(() => writeOutputFile(dir, 'x')).toThrow(/is a folder: refusing to replace it with a file/);
    const fifo = fresh();
    execFileSync('mkfifo', [fifo]);
    expect(() => writeOutputFile(fifo, 'x')).toThrow(/is not a regular file \(a device, pipe or socket\)/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(() => writeOutputFile('/dev/null', 'x')).toThrow('/dev/null: is not a regular file');
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('a full disk keeps the old file whole and leaves no temporary', async () => {
    const f = fresh();
    writeFileSync(f, 'precious');
    await expect(withOutputFs(faultFs({ bytesLeft: 3 }), async () => writeOutputFile(f, 'replacement text'))).rejects.toThrow(/cannot write: ENOSPC/);
    expect(readFileSync(f, 'utf8')).toBe('precious');
    expect(debris(f)).toEqual([]);
  });

  it('removes hidden temporaries of killed writers of the same file', () => {
    const f = fresh();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(path.join(path.dirname(f), `.${path.basename(f)}.tmp-${dead}-77-abcdef12`), 'half');
    writeOutputFile(f, 'whole');
    expect(debris(f)).toEqual([]);
  });

  it('names a missing parent folder instead of creating it', () => {
    const f = path.join(fresh(), 'x.json');
    expect(() => writeOutputFile(f, 'x')).toThrow(`${f}: cannot write: the folder ${path.dirname(f)} does not exist`);
  });
});
