import { finishedValue, type MetricValue, type MetricValues } from "../../engine/index.ts";
import type { Reading } from "./cell-values.ts";
import { type MetricRecipe, type Recipe, recipeKeys, type Term, termKey } from "./export-table.ts";
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

type Numbers = ReadonlyMap<string, Reading<number>>;

function number(readings: Numbers, key: string): number {
  const reading = readings.get(key);
  if (reading?.state !== "value") throw new Error(`no figure for ${key}`);
  return reading.value;
}

function sum(readings: Numbers, terms: readonly Term[]): number {
  let total = 0;
  for (const term of terms)
    total += typeof term === "string" ? number(readings, term) : number(readings, term[0]) * term[1];
  return tidy(total);
}

function valueBy(recipe: Recipe, readings: Numbers): MetricValue {
  if ("sums" in recipe) return { num: sum(readings, recipe.sums.num), den: sum(readings, recipe.sums.den) };
  if ("rate" in recipe) {
    const base = number(readings, recipe.of);
    return { num: Math.round(tidy(number(readings, recipe.rate) * base)), den: base };
  }
  if ("mean" in recipe) {
    const count = number(readings, recipe.of);
    return { num: tidy(number(readings, recipe.mean) * count), den: count };
  }
  if ("figure" in recipe)
    return { num: number(readings, recipe.figure), den: recipe.per ? number(readings, recipe.per) : 1 };
  return finishedValue(number(readings, recipe.finished));
}

/** Whether every key has a figure ("value"), one is still being counted ("pending"), or not ("missing"). */
function stateOf(keys: readonly string[], readings: Numbers): "value" | "pending" | "missing" {
  let state: "value" | "pending" = "value";
  for (const key of keys) {
    const reading = readings.get(key)?.state;
    if (reading === "pending") state = "pending";
    else if (reading !== "value") return "missing";
  }
  return state;
}

/** Reads the figures of a row; made once per table, so that a recipe's keys are listed once. */
export function figuresOf(recipes: readonly MetricRecipe[]): (readings: Numbers) => RowFigures {
  const withKeys = recipes.map(({ metric, from }) => ({
    metric,
    from: from.map((recipe) => ({ recipe, keys: recipeKeys(recipe) })),
  }));
  return (readings) => figuresBy(withKeys, readings);
}

type RecipesWithKeys = readonly { metric: string; from: readonly { recipe: Recipe; keys: string[] }[] }[];

function figuresBy(recipes: RecipesWithKeys, readings: Numbers): RowFigures {
  const figures: RowFigures = { values: {}, pending: [], problems: [] };
  for (const { metric, from } of recipes) {
    if (readings.get(metric)?.state === "pending") {
      figures.pending.push(metric);
      continue;
    }
    for (const { recipe, keys } of from) {
      const state = stateOf(keys, readings);
      if (state === "missing") continue;
      if (state === "pending") figures.pending.push(metric);
      else {
        const value = valueBy(recipe, readings);
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
}
