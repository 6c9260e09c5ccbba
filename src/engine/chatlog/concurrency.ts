import { type AgentDays, SLOT } from "./agent-days.ts";
import { grow } from "./bytes.ts";

/**
 * Peak concurrent sessions per agent-day: the most segments an agent had open at one moment.
 * Intervals are kept as they come and swept per agent-day at the end.
 */
export interface IntervalsDump {
  row: Int32Array<ArrayBuffer>;
  from: Float64Array<ArrayBuffer>;
  to: Float64Array<ArrayBuffer>;
  size: number;
}

export class ConcurrencyIntervals {
  // Room for many thousands from the start (untouched pages cost no memory; growing copies).
  private row = new Int32Array(1 << 16);
  private from = new Float64Array(1 << 16);
  private to = new Float64Array(1 << 16);
  private size = 0;

  add(row: number, from: number, to: number): void {
    if (this.size >= this.row.length) {
      this.row = grow(this.row, this.size + 1);
      this.from = grow(this.from, this.size + 1);
      this.to = grow(this.to, this.size + 1);
    }
    this.row[this.size] = row;
    this.from[this.size] = from;
    this.to[this.size] = Math.max(from, to);
    this.size++;
  }

  dump(): IntervalsDump {
    return {
      row: this.row.subarray(0, this.size),
      from: this.from.subarray(0, this.size),
      to: this.to.subarray(0, this.size),
      size: this.size,
    };
  }

  /** Intervals over a dump's arrays (adopted, not copied). */
  static fromDump(d: IntervalsDump): ConcurrencyIntervals {
    const c = new ConcurrencyIntervals();
    c.row = d.row;
    c.from = d.from;
    c.to = d.to;
    c.size = d.size;
    return c;
  }

  /** Writes each agent-day's peak into SLOT.peakConcurrent. */
  sweep(days: AgentDays): void {
    const rows = days.size;
    const start = new Int32Array(rows + 1);
    for (let i = 0; i < this.size; i++) start[this.row[i]! + 1]!++;
    for (let r = 0; r < rows; r++) start[r + 1]! += start[r]!;
    const fill = start.slice(0, rows);
    const order = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) order[fill[this.row[i]!]!++] = i;
    for (let r = 0; r < rows; r++) {
      const n = start[r + 1]! - start[r]!;
      if (n === 0) continue;
      const opens = new Float64Array(n);
      const closes = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const i = order[start[r]! + k]!;
        opens[k] = this.from[i]!;
        closes[k] = this.to[i]!;
      }
      opens.sort();
      closes.sort();
      // A session that closes at the moment another opens does not overlap it.
      let open = 0;
      let peak = 0;
      let c = 0;
      for (let o = 0; o < n; o++) {
        while (c < n && closes[c]! <= opens[o]!) {
          c++;
          open--;
        }
        open++;
        if (open > peak) peak = open;
      }
      days.max(r, SLOT.peakConcurrent, peak);
    }
  }
}
