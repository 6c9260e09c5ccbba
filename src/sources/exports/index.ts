/** Daily platform exports (Chitu / Qianniu, JD Dongdong, 拼多多, 抖店 飞鸽, the generic template) as source batches. */

export * from "./cell-values.ts";
export * from "./cell-words.ts";
export { checkExportFile } from "./check-file.ts";
export { durationSeconds } from "./durations.ts";
export {
  bytesInMemory,
  chunksOf,
  type ExportBytes,
  type ExportFile,
  openExportFile,
} from "./export-bytes.ts";
export * from "./export-table.ts";
export * from "./figure-cells.ts";
export { findHeader, HEADER_SEARCH_ROWS, type HeaderPlan, headerKey } from "./header.ts";
export { CHITU } from "./kinds/chitu.ts";
export { DOUYIN } from "./kinds/douyin.ts";
export { GENERIC_FIELDS, genericTable } from "./kinds/generic.ts";
export { JD } from "./kinds/jd.ts";
export { PDD } from "./kinds/pdd.ts";
export * from "./parse-export.ts";
export { readTable, tableRows } from "./read-table.ts";
export type { Table, TableCell, TableRow } from "./table.ts";
export { ZIP_LIMITS } from "./zip-directory.ts";
