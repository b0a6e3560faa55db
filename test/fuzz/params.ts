/*
 * How long the property-based fuzz tests run. In `npm test`: a fixed seed and a few hundred runs
 * per property (the same inputs every time). `npm run fuzz` (test/fuzz/vitest.config.ts) sets
 * SONFS_FUZZ_RUNS to many more, with a new seed each time unless SONFS_FUZZ_SEED is given; a
 * failure prints the seed and the shrunk counterexample, and SONFS_FUZZ_SEED=<seed> replays it.
 */
const envRuns = Number(process.env['SONFS_FUZZ_RUNS'] ?? '');
const envSeed = process.env['SONFS_FUZZ_SEED'];

/** Runs of a property: `base` in npm test, scaled up when SONFS_FUZZ_RUNS is set (it is the count for base 300). */
export function runs(base: number): number {
  return Number.isFinite(envRuns) && envRuns > 0 ? Math.max(base, Math.round((base * envRuns) / 300)) : base;
}

/** The seed: fixed in npm test, from SONFS_FUZZ_SEED, or (long runs) a fresh one. */
export const seed: number = envSeed !== undefined ? Number(envSeed)
  : Number.isFinite(envRuns) && envRuns > 0 ? (Date.now() ^ (process.pid << 16)) >>> 0 : 0x50f5;

export function params(base: number): { seed: number; numRuns: number; endOnFailure: true } {
  return { seed, numRuns: runs(base), endOnFailure: true };
}
