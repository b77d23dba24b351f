// The city sees counts and rates only, and none about fewer than 5 households (docs/adr/0005): the one threshold
// and the one rate rule of the dashboard, its CSV and the city circulars' figures.

/** Groups and denominators of fewer than this many households are suppressed (null). */
export const SUPPRESS_BELOW = 5;

/** Rates are rounded to 4 decimals (0.8123 = 81.23%) in JSON and CSV alike. */
export const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** num / den as a rate 0–1, rounded; null (suppressed) when the denominator counts fewer than 5 households. */
export const rate = (num: number, den: number): number | null => (den >= SUPPRESS_BELOW ? round4(num / den) : null);
