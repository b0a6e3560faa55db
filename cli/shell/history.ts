/*
 * The shell's command history: one command per line in ~/.sonfs_history (or $SONFS_HISTORY),
 * oldest first, at most HISTORY_MAX lines. Loaded when an interactive shell starts, saved when it
 * ends (written to a temporary file and renamed, mode 0600). A missing or unreadable file is an
 * empty history; a failure to save is reported, never fatal. Consecutive duplicates and blank
 * lines are not recorded.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as fsp from 'node:fs/promises';

export const HISTORY_MAX = 1000;

/** Where the history lives: $SONFS_HISTORY, else ~/.sonfs_history. */
export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SONFS_HISTORY !== undefined && env.SONFS_HISTORY !== '' ? env.SONFS_HISTORY : join(homedir(), '.sonfs_history');
}

export class History {
  readonly path: string;
  readonly max: number;
  #lines: string[] = [];

  constructor(path: string, max: number = HISTORY_MAX) {
    this.path = path;
    this.max = max;
  }

  /** Oldest first. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** Read the file (a missing one is an empty history); keeps its last `max` lines. */
  async load(): Promise<void> {
    let text = '';
    try {
      text = await fsp.readFile(this.path, 'utf8');
    } catch {
      text = '';
    }
    this.#lines = text.split('\n').filter((l) => l.trim() !== '').slice(-this.max);
  }

  /** Record a command (not blank lines, not a repeat of the previous one). */
  add(line: string): void {
    const l = line.replace(/[\r\n]+/g, ' ').trim();
    if (l === '' || this.#lines.at(-1) === l) return;
    this.#lines.push(l);
    if (this.#lines.length > this.max) this.#lines.splice(0, this.#lines.length - this.max);
  }

  /** Write the last `max` lines. @throws the file system's error. */
  async save(): Promise<void> {
    const tmp = `${this.path}.${process.pid}.tmp`;
    const body = this.#lines.length === 0 ? '' : `${this.#lines.join('\n')}\n`;
    await fsp.writeFile(tmp, body, { mode: 0o600 });
    await fsp.rename(tmp, this.path);
  }
}
