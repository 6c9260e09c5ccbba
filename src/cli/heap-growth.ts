import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the heap grow past what the last full collection found live, in percent.
 * V8's own default lets it grow up to 4× when the process allocates quickly, which is right for
 * a browser tab and wrong for `kpi import`: scoring a month of a 10,000-agent shop holds about
 * 330 MB of figures while it makes and drops about 2 GB of cards, and the heap grew to 1.4 GB
 * before each full collection (peak 1.56 GB resident). At 1.3× the same import peaked at 0.66 GB
 * in the same time: the collections it adds are marked on the other core while this one works.
 * The bot holds little and runs for months; it gains the same bound.
 */
export const HEAP_GROWING_PERCENT = 30;

/**
 * Sets it for this process. V8 reads the factor at every full collection, so unlike the heap's
 * sizes (`--max-semi-space-size`, fixed when the process starts) it can be set from here.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
