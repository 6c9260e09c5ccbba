import { finishedValue, type MetricValue, type MetricValues } from "../../engine/index.ts";
import { type ExportTable, type Recipe, recipeKeys, type Term, termKey } from "./export-table.ts";
import { needsOf } from "./finished-only.ts";
import { quickTidy as tidy } from "./quick-tidy.ts";

/**
 * A row's figures as numerators and denominators, so that days and agents roll up exactly:
 * each metric takes the first of its recipes whose columns all have a figure in the row. A
 * metric whose own cell, or a cell its recipe needs, is still being counted is pending.
 */

export interface RowFigures {
  values: MetricValues;
  pending: string[];
  /** Impossible counts (more unanswered than consultations): the key to blame, and what it exceeds. */
  problems: { key: string; moreThan: string[] }[];
}

/** What a slot holds: nothing (no cell, an empty or a bad one), a figure, or "still counting". */
const NOTHING = 0;
const FIGURE = 1;
const PENDING = 2;

/**
 * A row's figures by slot, the same arrays for every row of a table, rather than a map and a
 * reading object per cell built afresh for each of a month's rows. Slot `size` holds nothing:
 * it stands for the keys the file has no column for.
 */
export class FigureSlots {
  readonly states: Uint8Array;
  readonly values: Float64Array;

  constructor(readonly size: number) {
    this.states = new Uint8Array(size + 1);
    this.values = new Float64Array(size + 1);
  }

  clear(): void {
    this.states.fill(NOTHING);
  }

  set(slot: number, figure: number): void {
    this.states[slot] = FIGURE;
    this.values[slot] = figure;
  }

  setPending(slot: number): void {
    this.states[slot] = PENDING;
  }
}

/** Where a key's figure is. */
type Slot = number;

function number(readings: FigureSlots, slot: Slot): number {
  if (readings.states[slot] !== FIGURE) throw new Error(`no figure in slot ${slot}`);
  return readings.values[slot]!;
}

/** Terms as slots and factors. */
function sumOf(terms: readonly Term[], slotOf: (key: string) => Slot): (readings: FigureSlots) => number {
  const slots = terms.map((term) => slotOf(termKey(term)));
  const factors = terms.map((term) => (typeof term === "string" ? 1 : term[1]));
  return (readings) => {
    let total = 0;
    for (let i = 0; i < slots.length; i++) total += number(readings, slots[i]!) * factors[i]!;
    return tidy(total);
  };
}

/**
 * How a recipe's value is made from a row's readings, its keys already turned into slots; a
 * finished figure carries the header texts that would have made it exact (`needs`).
 */
function valueMaker(
  recipe: Recipe,
  slotOf: (key: string) => Slot,
  needs: readonly string[] | undefined,
): (readings: FigureSlots) => MetricValue {
  if ("sums" in recipe) {
    const [num, den] = [sumOf(recipe.sums.num, slotOf), sumOf(recipe.sums.den, slotOf)];
    return (readings) => ({ num: num(readings), den: den(readings) });
  }
  if ("rate" in recipe) {
    const [rate, of] = [slotOf(recipe.rate), slotOf(recipe.of)];
    const approx = recipe.approx;
    return (readings) => {
      const base = number(readings, of);
      const value = { num: Math.round(tidy(number(readings, rate) * base)), den: base };
      return approx === undefined ? value : { ...value, approx };
    };
  }
  if ("mean" in recipe) {
    const [mean, of] = [slotOf(recipe.mean), slotOf(recipe.of)];
    const approx = recipe.approx;
    return (readings) => {
      const count = number(readings, of);
      const value = { num: tidy(number(readings, mean) * count), den: count };
      return approx === undefined ? value : { ...value, approx };
    };
  }
  if ("figure" in recipe) {
    const [figure, per] = [slotOf(recipe.figure), recipe.per ? slotOf(recipe.per) : undefined];
    return (readings) => ({
      num: number(readings, figure),
      den: per === undefined ? 1 : number(readings, per),
    });
  }
  const finished = slotOf(recipe.finished);
  if (needs) return (readings) => ({ ...finishedValue(number(readings, finished)), needs });
  return (readings) => finishedValue(number(readings, finished));
}

/** Whether every slot has a figure ("value"), one is still being counted ("pending"), or not ("missing"). */
function stateOf(slots: readonly Slot[], readings: FigureSlots): "value" | "pending" | "missing" {
  let state: "value" | "pending" = "value";
  for (const slot of slots) {
    const held = readings.states[slot];
    if (held === PENDING) state = "pending";
    else if (held !== FIGURE) return "missing";
  }
  return state;
}

interface PreparedRecipe {
  recipe: Recipe;
  slots: Slot[];
  value: (readings: FigureSlots) => MetricValue;
}

/**
 * Reads the figures of a table's rows; `slotOf` says where a row's figure of a key is, and
 * `hasColumn` whether the file has a column for it. Made once per table, so that recipes are
 * looked into once and not for each row.
 */
export function figuresOf(
  table: ExportTable,
  slotOf: (key: string) => Slot,
  hasColumn: (key: string) => boolean,
): (readings: FigureSlots) => RowFigures {
  const prepared = table.recipes.map(({ metric, from }) => {
    const needs = needsOf(from, hasColumn, table);
    return {
      metric,
      own: slotOf(metric),
      from: from.map(
        (recipe): PreparedRecipe => ({
          recipe,
          slots: recipeKeys(recipe).map(slotOf),
          value: valueMaker(recipe, slotOf, needs),
        }),
      ),
    };
  });
  return (readings) => {
    const figures: RowFigures = { values: {}, pending: [], problems: [] };
    for (const { metric, own, from } of prepared) {
      if (readings.states[own] === PENDING) {
        figures.pending.push(metric);
        continue;
      }
      for (const { recipe, slots, value: valueBy } of from) {
        const state = stateOf(slots, readings);
        if (state === "missing") continue;
        if (state === "pending") figures.pending.push(metric);
        else {
          const value = valueBy(readings);
          if (value.num < 0 && "sums" in recipe) {
            const negative = recipe.sums.num.find((term) => typeof term !== "string" && term[1] < 0);
            const moreThan = recipe.sums.den.map(termKey);
            figures.problems.push({ key: termKey(negative ?? recipe.sums.num[0]!), moreThan });
          } else figures.values[metric] = value;
        }
        break;
      }
    }
    return figures;
  };
}
