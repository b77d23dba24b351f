// BENCH_SMOKE=1: every bench script picks tiny sizes and durations, so that `npm test` runs each one as a real
// process in seconds (test/bench/*.test.ts) and a bench that no longer runs fails a test instead of rotting until
// someone next wants its figures. The figures printed in this mode mean nothing; only that the script completes and
// prints its tables. An explicit BENCH_* size variable still wins over both defaults.
export const SMOKE = process.env.BENCH_SMOKE === "1";

/** The full-run value, or the smoke one under BENCH_SMOKE=1. */
export const sized = <T>(full: T, smoke: T): T => (SMOKE ? smoke : full);
