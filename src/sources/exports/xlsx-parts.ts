import { createRequire } from "node:module";

/**
 * The pieces of ExcelJS that read a workbook's parts, used one part at a time instead of
 * `workbook.xlsx.load`, which inflates the whole zip into memory first. They are the same
 * readers `load` runs, so styles, shared strings and dates read as it reads them. ExcelJS 4
 * ships no types for them: these are the parts of their interfaces used here.
 */

const require = createRequire(import.meta.url);

/** A part reader: `parseStream` takes the part's text, piece by piece, and returns its model. */
interface PartReader<Model> {
  parseStream(text: AsyncIterable<string>): Promise<Model>;
}

export interface WorkbookModel {
  sheets?: { name: string; id: number; rId: string }[];
  properties?: { date1904?: boolean };
}

export interface Relationship {
  Id: string;
  Target: string;
  Type: string;
}

export type SharedString = string | { richText: { text?: string }[] };

export interface StylesReader extends PartReader<unknown> {
  /** The style of a cell's `s` index; its `numFmt` is the format code, built-in ids resolved. */
  getStyleModel(id: number): { numFmt?: string } | null;
}

export interface SharedStringsReader extends PartReader<unknown> {
  getString(index: number): SharedString | undefined;
}

export type SaxEvent =
  | { eventType: "opentag"; value: { name: string; attributes: Record<string, string> } }
  | { eventType: "text"; value: string }
  | { eventType: "closetag"; value: { name: string } };

const lib = (path: string) => require(`exceljs/lib/${path}`);

export const WorkbookReader: new () => PartReader<WorkbookModel> = lib("xlsx/xform/book/workbook-xform.js");
export const RelationshipsReader: new () => PartReader<Relationship[]> = lib(
  "xlsx/xform/core/relationships-xform.js",
);
export const StylesPartReader: new () => StylesReader = lib("xlsx/xform/style/styles-xform.js");
export const SharedStringsPartReader: new () => SharedStringsReader = lib(
  "xlsx/xform/strings/shared-strings-xform.js",
);
/** The XML events of a part, a batch per piece of text. */
export const saxEvents: (text: AsyncIterable<string>) => AsyncIterable<SaxEvent[]> =
  lib("utils/parse-sax.js");

const utils = lib("utils/utils.js") as {
  isDateFmt(format: string | undefined): boolean;
  excelToDate(serial: number, date1904: boolean | undefined): Date;
  xmlDecode(text: string): string;
};
export const { isDateFmt, excelToDate, xmlDecode } = utils;
