/**
 * Pay coefficients as the documents write them (绩效系数 1.0, 系数 0.8): one decimal, more only
 * where the figure has them (1.05, or 0.946 when the coefficient is the total ÷ 100); a column
 * or a list of them shares its decimals, so that 1.30 and 0.95 line up.
 */

const MAX_DECIMALS = 4;

function decimalsOf(x: number): number {
  for (let d = 1; d < MAX_DECIMALS; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return d;
  }
  return MAX_DECIMALS;
}

/** 1 → "1.0", 1.05 → "1.05", 0.946 → "0.946". */
export function coefficientText(x: number): string {
  return x.toFixed(decimalsOf(x));
}

/** Several coefficients with the same decimals: [1.3, 1, 0.95] → ["1.30", "1.00", "0.95"]; null → "". */
export function coefficientTexts(xs: readonly (number | null)[]): string[] {
  const decimals = Math.max(1, ...xs.map((x) => (x === null ? 1 : decimalsOf(x))));
  return xs.map((x) => (x === null ? "" : x.toFixed(decimals)));
}
