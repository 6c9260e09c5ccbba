/** Median of 3 with the range, each figure beside its target: the report's lines. */

export interface Figure {
  label: string;
  values: number[];
  unit: "s" | "MB";
  /** The most a run may show (figures here are all "at most"); absent: shown for context. */
  target?: number;
  targetText?: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const shown = (value: number, unit: Figure["unit"]) => (unit === "s" ? value.toFixed(1) : value.toFixed(0));

export function figureLine(figure: Figure): string {
  const { values, unit } = figure;
  const mid = median(values);
  const range = `${shown(Math.min(...values), unit)}–${shown(Math.max(...values), unit)}`;
  const verdict =
    figure.target === undefined
      ? ""
      : `  target ${figure.targetText ?? `≤ ${figure.target} ${unit}`}: ${mid <= figure.target ? "met" : "NOT met"}`;
  return `  ${figure.label.padEnd(52)} ${shown(mid, unit).padStart(6)} ${unit} (${range})${verdict}`;
}
