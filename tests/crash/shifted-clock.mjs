/**
 * Loaded with `node --import` into the `kpi` children of the crash tests: every process starts at
 * the instant KPI_CRASH_CLOCK names, and time runs on from there. The CLI has no fixed clock of
 * its own (src/cli/context.ts uses new Date()), and a run with kills must see the same "now" as
 * the run without: the same yesterday for the demo, the same schedule slots, the same follow-up
 * deadlines passed. Timers (setTimeout) and performance.now() are untouched; only Date moves.
 * The instant must lie in the past: pg-boss compares a job's start time with the server's clock.
 */
const anchor = Date.parse(process.env.KPI_CRASH_CLOCK ?? "");
if (!Number.isNaN(anchor)) {
  const RealDate = globalThis.Date;
  const offset = anchor - RealDate.now();
  const now = () => RealDate.now() + offset;
  /** Date with its present moved; any other construction is the real Date's. */
  function ShiftedDate(...args) {
    if (new.target === undefined) return new RealDate(now()).toString();
    return args.length === 0 ? new RealDate(now()) : new RealDate(...args);
  }
  Object.setPrototypeOf(ShiftedDate, RealDate);
  ShiftedDate.prototype = RealDate.prototype;
  ShiftedDate.now = now;
  globalThis.Date = ShiftedDate;
}
