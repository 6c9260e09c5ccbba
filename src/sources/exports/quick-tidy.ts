import { tidy } from "../../engine/index.ts";

/**
 * The engine's `tidy` (round to 12 significant digits through toPrecision), without the string
 * round trip for the figures of a cell: toPrecision costs ~200 ns, and a month of exports
 * tidies millions of figures. Same result for every number; the rare ones it cannot do
 * exactly (near a rounding tie, very large or very small, negative) go to `tidy` itself.
 */

/** 10^0 … 10^22: every one exact as a double. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

export function quickTidy(x: number): number {
  // A whole number of up to 12 digits is already tidy; `+ 0` turns -0 into 0 as toPrecision does.
  if (Number.isInteger(x) && Math.abs(x) < 1e12) return x + 0;
  if (!(x >= 1e-11 && x < 1e11)) return tidy(x);
  // Scale x to 12 digits before the point (10^11 ≤ scaled < 10^12), so rounding it to an
  // integer rounds x to 12 significant digits. Its power of ten by comparison (cheaper than
  // Math.log10); near a power of ten the product may still land one off, and is set right.
  let shift = x >= 1 ? 11 : 12;
  if (x >= 1) while (shift > 0 && x >= POWERS_OF_TEN[12 - shift]!) shift--;
  else while (shift < 22 && x * POWERS_OF_TEN[shift - 11]! < 1) shift++;
  let scaled = x * POWERS_OF_TEN[shift]!;
  if (scaled >= 1e12 && shift > 0) scaled = x * POWERS_OF_TEN[--shift]!;
  else if (scaled < 1e11 && shift < 22) scaled = x * POWERS_OF_TEN[++shift]!;
  if (scaled < 1e11 || scaled >= 1e12) return tidy(x);
  const digits = Math.round(scaled);
  // The product's rounding error is below 2^-13: away from a tie, `digits` is what toPrecision
  // keeps, and an exact integer ÷ an exact power of ten is the double parseFloat would give.
  if (Math.abs(scaled - digits) > 0.49) return tidy(x);
  return digits / POWERS_OF_TEN[shift]!;
}
