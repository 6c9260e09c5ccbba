/**
 * The few statistics the gaming rules use. Every rule compares an agent with their own past (or a
 * cautious base rate when they have none) and asks how unlikely the week would be for an honest
 * agent: a binomial tail for counts, a robust z-score (median and MAD) for daily figures.
 */

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}

/** P(X ≥ k) for X ~ Binomial(n, p): how likely k or more hits are by chance. */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logN = logFactorial(n);
  let total = 0;
  let logFactI = logFactorial(k);
  let logFactRest = logFactorial(n - k);
  for (let i = k; i <= n; i++) {
    if (i > k) {
      logFactI += Math.log(i);
      logFactRest -= Math.log(n - i + 1);
    }
    total += Math.exp(logN - logFactI - logFactRest + i * Math.log(p) + (n - i) * Math.log(1 - p));
  }
  return Math.min(1, total);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: readonly number[]): number {
  const centre = median(values);
  return median(values.map((v) => Math.abs(v - centre)));
}

/**
 * The two-proportion z statistic of a1/n1 against a2/n2 (pooled), positive when the first rate is
 * the higher; 0 when either side is empty.
 */
export function twoProportionZ(a1: number, n1: number, a2: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 0;
  const pooled = (a1 + a2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return 0;
  return (a1 / n1 - a2 / n2) / se;
}

export function rounded(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
