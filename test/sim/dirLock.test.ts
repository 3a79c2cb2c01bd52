import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withDirLock } from '../../sim/dirLock.ts';

const root = mkdtempSync(path.join(tmpdir(), 'pikehdl-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('withDirLock', () => {
  it('serialises holders of the same lock', async () => {
    const lock = path.join(root, 'serial.lock');
    const events: string[] = [];
    const hold = (name: string) =>
      withDirLock(lock, async () => {
        events.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 150));
        events.push(`${name} out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    // Either may win the race for the lock; what matters is that the second enters after the first left.
    const first = events[0]!.split(' ')[0];
    const second = first === 'a' ? 'b' : 'a';
    expect(events).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
  });

  it('breaks a stale lock whose owner process is dead', async () => {
    const lock = path.join(root, 'stale.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'owner'), String(dead));
    const started = Date.now();
    expect(await withDirLock(lock, async () => 'acquired')).toBe('acquired');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('breaks a lock whose owner PID now belongs to another live process (PID reuse)', async () => {
    // Issue 8: the owner PID was reused by a live process, and a run waited
    // silently for 15 minutes. The owner is PID + start time: this PID is alive
    // (it is ours) but started at another time, so the lock is stale at once.
    const lock = path.join(root, 'reused.lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'owner'), JSON.stringify({ pid: process.pid, start: '1', host: hostname() }));
    expect(await withDirLock(lock, async () => 'acquired', 3000)).toBe('acquired');
  });

  it('says who holds a busy lock, once', async () => {
    const lock = path.join(root, 'told.lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'owner'), String(process.pid));
    const told: string[] = [];
    await expect(withDirLock(lock, async () => 'never', 400, (h) => told.push(h))).rejects.toThrow(/timed out/);
    expect(told).toEqual([String(process.pid)]);
    rmSync(lock, { recursive: true });
  });

  it('waits for a live owner and gives up after the wait limit', async () => {
    const lock = path.join(root, 'live.lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'owner'), String(process.pid));
    await expect(withDirLock(lock, async () => 'never', 300)).rejects.toThrow(/timed out after 300 ms waiting for build lock live\.lock/);
    rmSync(lock, { recursive: true });
  });
});
