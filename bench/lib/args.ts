/* Command-line options of the bench programs: `--name value` pairs and bare `--flag`s. */

export class BenchArgs {
  readonly #argv: readonly string[];

  constructor(argv: readonly string[] = process.argv.slice(2)) {
    this.#argv = argv;
  }

  /** The value after `--name`, or undefined. */
  string(name: string): string | undefined {
    const i = this.#argv.indexOf(name);
    if (i < 0) return undefined;
    const v = this.#argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  }

  /** A positive number after `--name` (integer unless `fractional`), or `fallback`. */
  number(name: string, fallback: number, fractional = false): number {
    const s = this.string(name);
    if (s === undefined) return fallback;
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0 || (!fractional && !Number.isInteger(n))) throw new Error(`${name} must be a positive ${fractional ? 'number' : 'integer'}, got '${s}'`);
    return n;
  }

  flag(name: string): boolean {
    return this.#argv.includes(name);
  }

  /** A comma-separated list after `--name` (each item trimmed, empties dropped), or undefined. */
  list(name: string): string[] | undefined {
    return this.string(name)?.split(',').map((x) => x.trim()).filter((x) => x !== '');
  }
}
