/**
 * The words of platform export cells, as data: markers for "no figure" and "not final yet", unit
 * words of durations, counts and money. A new spelling is one more entry here.
 */

/** Cells that say "no figure here". */
export const NO_FIGURE: readonly string[] = ["-", "--", "---", "—", "——", "/", "N/A", "#N/A", "#DIV/0!"];

/** Cells that say "the platform has not finished counting this yet". */
export const PENDING_MARKERS: readonly string[] = [
  "延迟统计",
  "统计中",
  "数据统计中",
  "计算中",
  "待统计",
  "数据更新中",
];

/** Seconds per unit word of a written duration ("1小时2分", "1分30秒", "90s"). */
export const DURATION_UNITS: Readonly<Record<string, number>> = {
  小时: 3600,
  时: 3600,
  h: 3600,
  hr: 3600,
  分钟: 60,
  分: 60,
  min: 60,
  m: 60,
  秒钟: 1,
  秒: 1,
  s: 1,
  sec: 1,
};

/** Words allowed after a count ("12人"). */
export const COUNT_SUFFIXES: readonly string[] = ["人", "次", "个", "条", "单", "件", "天"];

/** Money: currency marks before, and unit words after with their factor ("1.2万"). */
export const MONEY_PREFIXES: readonly string[] = ["¥", "RMB", "CNY"];
export const MONEY_SUFFIXES: Readonly<Record<string, number>> = { 元: 1, 万元: 10_000, 万: 10_000 };

/** What the 客服 cell (or the first cell) of a summary row says. */
export const SUMMARY_LABELS: readonly string[] = [
  "汇总",
  "均值",
  "合计",
  "平均",
  "平均值",
  "总计",
  "小计",
  "总和",
];
