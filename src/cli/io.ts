/**
 * Where the CLI's output goes. Commands print through out()/err(), which
 * escape control characters (terminalText.ts) and go to the process streams,
 * or, when runCli runs in-process (tests, the fault suite), to the caller's
 * collectors. A closed stdout (EPIPE, e.g. `| head`) ends output quietly.
 */
import { Writable } from 'node:stream';
import { escapeControls } from './terminalText.ts';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly stderrIsTTY?: boolean;
}

export const PROCESS_IO: CliIo = {
  stdout: (text) => {
    if (!process.stdout.destroyed) process.stdout.write(text);
  },
  stderr: (text) => {
    if (!process.stderr.destroyed) process.stderr.write(text);
  },
  stderrIsTTY: process.stderr.isTTY === true,
};

let current: CliIo = PROCESS_IO;

export function out(text: string): void {
  current.stdout(escapeControls(text));
}

export function err(text: string): void {
  current.stderr(escapeControls(text));
}

/** A stream for libraries that want one (progress bars), feeding err(). */
export function errStream(): NodeJS.WritableStream & { isTTY?: boolean } {
  if (current === PROCESS_IO) return process.stderr;
  const sink = current;
  return new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      sink.stderr(escapeControls(String(chunk)));
      cb();
    },
  });
}

export function currentIo(): CliIo {
  return current;
}

export async function withCliIo<T>(io: CliIo, fn: () => Promise<T>): Promise<T> {
  const saved = current;
  current = io;
  try {
    return await fn();
  } finally {
    current = saved;
  }
}
