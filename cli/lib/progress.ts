/*
 * A one-line progress bar for copies, drawn on a terminal only:
 *
 *   big.bin  [##########----------]  50%  512.0 MiB  98.2 MiB/s  ETA 0:05
 *
 * The line is redrawn in place (carriage return, erase to end of line) at most every
 * REDRAW_MS (10 times a second), however often update() is called; finish() draws the final
 * state (100 %, the average rate, the elapsed time) and ends the line. When the stream is not a
 * terminal, nothing at all is written. Time is injected (`now`) so tests control it.
 */
import { byteCount, clock } from './format.js';

export const REDRAW_MS = 100;

export interface TtyStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class Progress {
  readonly #out: TtyStream;
  readonly #label: string;
  readonly #total: number;
  readonly #now: () => number;
  readonly #start: number;
  readonly #on: boolean;
  #lastDraw = -Infinity;
  #done = 0;
  /** Lines drawn so far (for tests). */
  draws = 0;

  constructor(out: TtyStream, label: string, total: number, now: () => number = Date.now) {
    this.#out = out;
    this.#label = label;
    this.#total = total;
    this.#now = now;
    this.#start = now();
    this.#on = out.isTTY === true;
  }

  /** Whether anything is drawn (the stream is a terminal). */
  get enabled(): boolean {
    return this.#on;
  }

  /** `done` bytes copied so far; redraws if the last drawing is at least REDRAW_MS old. */
  update(done: number): void {
    this.#done = done;
    if (!this.#on) return;
    const t = this.#now();
    if (t - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = t;
    this.#draw(t, false);
  }

  /** Draw the final line and end it (a terminal only). */
  finish(done: number = this.#done): void {
    this.#done = done;
    if (!this.#on) return;
    this.#draw(this.#now(), true);
    this.#out.write('\n');
  }

  /** Erase the line (before an error message, say). */
  clear(): void {
    if (this.#on && this.draws > 0) this.#out.write('\r\x1b[K');
  }

  /** The text of the line at time `t` (without control characters), fields at fixed widths. */
  line(t: number, final: boolean): string {
    const width = Math.max(40, (this.#out.columns ?? 80) - 1);
    const elapsed = Math.max(0.001, (t - this.#start) / 1000);
    const rate = this.#done / elapsed;
    const known = this.#total > 0;
    const frac = known ? Math.min(1, this.#done / this.#total) : final ? 1 : 0;
    const pct = `${String(Math.floor(frac * 100)).padStart(3)}%`;
    const when = final ? clock(elapsed) : `ETA ${known && rate > 0 ? clock((this.#total - this.#done) / rate) : '--:--'}`;
    const tail = `${pct} ${byteCount(this.#done).padStart(10)} ${`${byteCount(rate)}/s`.padStart(12)}  ${when.padEnd(11)}`;
    const barWidth = Math.max(10, Math.min(30, width - tail.length - 24));
    const filled = Math.round(frac * barWidth);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
    const room = Math.max(0, width - bar.length - tail.length - 4);
    let label = this.#label;
    if (label.length > room) label = room > 3 ? `...${label.slice(label.length - room + 3)}` : '';
    return `${label.padEnd(room)}  ${bar} ${tail}`.trimEnd();
  }

  #draw(t: number, final: boolean): void {
    this.draws++;
    this.#out.write(`\r${this.line(t, final)}\x1b[K`);
  }
}
