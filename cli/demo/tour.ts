/*
 * The step runner of `sonfs demo`: numbered steps, each printed with its outcome and duration,
 * details indented below it. A step that throws, takes longer than its limit, or is interrupted
 * (Ctrl-C: interrupt()) ends the tour: run() reports it and resolves false, and the caller's
 * cleanup (unmount, stop the server) runs. Nothing here touches the network.
 */
import type { CliIo } from '../io.js';
import { reason } from '../lib/errors.js';

/** The longest a step may take before the tour gives up on it. */
export const STEP_LIMIT_MS = 120_000;

export class TourInterrupted extends Error {
  override name = 'TourInterrupted';
}

export interface Step {
  title: string;
  run(log: (line: string) => void): Promise<void>;
  /** Limit for this step (default STEP_LIMIT_MS). */
  limitMs?: number;
}

export class Tour {
  readonly #io: CliIo;
  readonly #now: () => number;
  #interrupt: ((e: Error) => void) | null = null;
  #interrupted: Error | null = null;
  /** The step that failed, and why, once run() resolved false. */
  failure: { step: string; error: unknown } | null = null;

  constructor(io: CliIo, now: () => number = () => performance.now()) {
    this.#io = io;
    this.#now = now;
  }

  /** End the step in progress (and the tour) now: Ctrl-C. */
  interrupt(why = 'interrupted'): void {
    this.#interrupted ??= new TourInterrupted(why);
    this.#interrupt?.(this.#interrupted);
  }

  get interrupted(): boolean {
    return this.#interrupted !== null;
  }

  /** Print a line of the tour's own (not a step's). */
  say(line: string): void {
    this.#io.stdout.write(`${line}\n`);
  }

  /** Run the steps in order; false as soon as one fails (reported on stdout and stderr). */
  async run(steps: readonly Step[]): Promise<boolean> {
    const width = String(steps.length).length;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const n = `[${String(i + 1).padStart(width)}/${steps.length}]`;
      const indent = ' '.repeat(n.length + 1);
      this.#io.stdout.write(`${n} ${step.title}\n`);
      /* A step abandoned (interrupted, timed out) may still run on: it prints nothing more. */
      let open = true;
      const log = (line: string): void => {
        if (open) this.#io.stdout.write(line === '' ? '\n' : `${indent}${line}\n`);
      };
      const t0 = this.#now();
      let timer: NodeJS.Timeout | undefined;
      try {
        if (this.#interrupted !== null) throw this.#interrupted;
        const limit = step.limitMs ?? STEP_LIMIT_MS;
        await Promise.race([
          step.run(log),
          new Promise<never>((_, reject) => {
            this.#interrupt = reject;
            timer = setTimeout(() => reject(new Error(`gave up after ${limit / 1000} s`)), limit);
          }),
        ]);
      } catch (e) {
        this.failure = { step: step.title, error: e };
        const why = e instanceof TourInterrupted ? e.message : reason(e);
        this.#io.stdout.write(`${indent}FAILED: ${why}\n`);
        this.#io.stderr.write(`sonfs demo: step ${i + 1} (${step.title}) failed: ${why}\n`);
        return false;
      } finally {
        open = false;
        clearTimeout(timer);
        this.#interrupt = null;
      }
      const ms = this.#now() - t0;
      this.#io.stdout.write(`${indent}ok (${ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`})\n`);
    }
    return true;
  }
}
