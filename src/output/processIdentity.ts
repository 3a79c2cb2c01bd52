/**
 * Who holds a lock or a temporary folder, in a form that survives PID reuse:
 * the PID plus the process's start time (field 22 of /proc/<pid>/stat, in
 * clock ticks since boot) and the host name. A PID alone is not enough: after
 * a crash the PID can belong to another live process, and a lock that trusts
 * it waits for nothing.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface ProcessIdentity {
  readonly pid: number;
  /** Start time from /proc, or null where /proc is not available. */
  readonly start: string | null;
  readonly host: string;
}

/** The start time of `pid` from /proc, or null (no /proc, or no such process). */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: split after its last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state), so field 22 (starttime) is rest[19].
    return rest[19] ?? null;
  } catch {
    return null;
  }
}

export function selfIdentity(): ProcessIdentity {
  return { pid: process.pid, start: processStartTime(process.pid), host: os.hostname() };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * 'dead' when the identified process is gone (or its PID now names a process
 * that started at another time), 'alive' when it still runs, 'unknown' when
 * it ran on another host (a shared build folder): then only age can tell.
 */
export function identityState(id: ProcessIdentity): 'alive' | 'dead' | 'unknown' {
  if (id.host !== os.hostname()) return 'unknown';
  if (!Number.isSafeInteger(id.pid) || id.pid <= 0 || !pidAlive(id.pid)) return 'dead';
  if (id.start === null) return 'alive';
  const now = processStartTime(id.pid);
  // No /proc entry while kill(0) succeeded: cannot compare, trust the PID.
  if (now === null) return 'alive';
  return now === id.start ? 'alive' : 'dead';
}

export function formatIdentity(id: ProcessIdentity): string {
  return JSON.stringify(id);
}

/** Parses formatIdentity's output; a bare PID (older lock files) gives an identity without start time. */
export function parseIdentity(text: string): ProcessIdentity | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { pid: Number(t), start: null, host: os.hostname() };
  try {
    const v = JSON.parse(t) as unknown;
    if (typeof v !== 'object' || v === null) return null;
    const o = v as Record<string, unknown>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string' || !(typeof o.start === 'string' || o.start === null)) return null;
    return { pid: o.pid, start: o.start, host: o.host };
  } catch {
    return null;
  }
}

/** A short tag naming this process in temporary file names: pid and start time. */
export function selfTag(): string {
  const id = selfIdentity();
  return `${id.pid}-${id.start ?? '0'}`;
}

/** True when a name made with selfTag() belongs to a process that no longer runs on this host. */
export function tagIsDead(tag: string): boolean {
  const m = /^(\d+)-(\d+)$/.exec(tag);
  if (m === null) return false;
  const start = m[2] === '0' ? null : m[2]!;
  return identityState({ pid: Number(m[1]), start, host: os.hostname() }) === 'dead';
}
