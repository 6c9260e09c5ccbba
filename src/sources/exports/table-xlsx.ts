import { InvalidInput } from "../../engine/index.ts";
import type { ExportBytes } from "./export-bytes.ts";
import type { TableCell, TableRow } from "./table.ts";
import {
  excelToDate,
  isDateFmt,
  RelationshipsReader,
  type SharedString,
  SharedStringsPartReader,
  type SharedStringsReader,
  StylesPartReader,
  type StylesReader,
  saxEvents,
  WorkbookReader,
  xmlDecode,
} from "./xlsx-parts.ts";
import { readZipDirectory, type ZipEntry } from "./zip-directory.ts";
import { entryText } from "./zip-entry-text.ts";

/**
 * The first worksheet of an xlsx workbook, row by row, read from the zip a part at a time (zip
 * limits: zip-directory.ts). Cells keep their type and number format, as ExcelJS's whole-workbook
 * reader gives them: a percentage cell holds the fraction, a time cell a Date on Excel's day
 * zero, a formula its cached result, rich text its plain text.
 */

type Value = TableCell["value"];

interface Workbook {
  sheet: ZipEntry;
  styles: StylesReader | undefined;
  strings: SharedStringsReader | undefined;
  date1904: boolean;
}

/** A part's path inside the zip, from a relationship target relative to xl/. */
function partPath(target: string): string {
  const parts: string[] = [];
  const full = target.startsWith("/") ? target.slice(1) : `xl/${target}`;
  for (const part of full.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}

async function openWorkbook(source: ExportBytes, fileName: string): Promise<Workbook> {
  const entries = await readZipDirectory(source, fileName);
  const text = (entry: ZipEntry) => entryText(source, entry, fileName);
  const workbookPart = entries.get("xl/workbook.xml");
  const relsPart = entries.get("xl/_rels/workbook.xml.rels");
  if (!workbookPart || !relsPart) throw new InvalidInput(fileName, "the workbook has no worksheet");
  try {
    const workbook = await new WorkbookReader().parseStream(text(workbookPart));
    const rels = await new RelationshipsReader().parseStream(text(relsPart));
    // The first tab that is a worksheet (a chart sheet has no cells).
    const worksheets = (workbook.sheets ?? [])
      .map((sheet) => rels.find((rel) => rel.Id === sheet.rId))
      .filter((rel) => rel?.Type.endsWith("/worksheet"));
    const target = worksheets[0]?.Target;
    const sheet = target === undefined ? undefined : entries.get(partPath(target));
    if (!sheet) throw new InvalidInput(fileName, "the workbook has no worksheet");
    const stylesPart = entries.get("xl/styles.xml");
    const stringsPart = entries.get("xl/sharedStrings.xml");
    const styles = stylesPart ? new StylesPartReader() : undefined;
    if (styles && stylesPart) await styles.parseStream(text(stylesPart));
    const strings = stringsPart ? new SharedStringsPartReader() : undefined;
    if (strings && stringsPart) await strings.parseStream(text(stringsPart));
    return { sheet, styles, strings, date1904: workbook.properties?.date1904 === true };
  } catch (error) {
    if (error instanceof InvalidInput) throw error;
    throw new InvalidInput(fileName, `is not a readable xlsx workbook: ${(error as Error).message}`);
  }
}

/** "AB12" → 28. */
function columnOf(ref: string | undefined): number | undefined {
  if (!ref) return undefined;
  let column = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code < 65 || code > 90) break;
    column = column * 26 + code - 64;
  }
  return column || undefined;
}

const richTextOf = (parts: { text?: string }[]) => parts.map((part) => part.text).join("");

const plainString = (value: SharedString | undefined): Value =>
  typeof value === "object" ? richTextOf(value.richText) : value;

/** A `<c>` element as it is read: ExcelJS's CellXform, down to the plain value table-xlsx needs. */
class CellReading {
  column = 0;
  type: string | undefined;
  style: number | undefined;
  text: string | undefined;
  formula: string | undefined;
  shared = false;
  runs: { text?: string }[] | undefined;

  constructor(attributes: Record<string, string>, column: number) {
    this.column = column;
    this.type = attributes.t;
    this.style = attributes.s ? Number.parseInt(attributes.s, 10) : undefined;
  }

  cell(workbook: Workbook): TableCell {
    const format = this.style ? workbook.styles?.getStyleModel(this.style)?.numFmt : undefined;
    const value = this.value(workbook, format);
    return format && typeof value === "number" ? { value, format } : { value };
  }

  private value(workbook: Workbook, format: string | undefined): Value {
    const { text, type } = this;
    const asDate = (n: number) => (isDateFmt(format) ? excelToDate(n, workbook.date1904) : n);
    if (this.formula || this.shared) {
      if (!text) return undefined;
      if (type === "str") return xmlDecode(text);
      if (type === "b") return Number.parseInt(text, 10) !== 0;
      if (type === "e") return text;
      return asDate(Number.parseFloat(text));
    }
    if (this.runs) return richTextOf(this.runs);
    if (text === undefined) return undefined;
    switch (type) {
      case "s":
        return plainString(workbook.strings?.getString(Number.parseInt(text, 10)));
      case "str":
        return xmlDecode(text);
      case "inlineStr":
        return text;
      case "b":
        return Number.parseInt(text, 10) !== 0;
      case "e":
        return text;
      default:
        return asDate(Number.parseFloat(text));
    }
  }
}

/** The rows of the sheet that hold a value, each with its cells from column A to its last cell. */
async function* sheetRows(
  source: ExportBytes,
  workbook: Workbook,
  fileName: string,
): AsyncGenerator<TableRow> {
  let line = 0;
  let cells: TableCell[] | undefined;
  let hasValue = false;
  let cell: CellReading | undefined;
  let into: "v" | "t" | "f" | undefined;
  let run: { text?: string } | undefined;
  for await (const events of saxEvents(entryText(source, workbook.sheet, fileName))) {
    const rows: TableRow[] = [];
    for (const event of events) {
      if (event.eventType === "text") {
        if (!cell || into === undefined) continue;
        if (into === "f") cell.formula = (cell.formula ?? "") + event.value;
        else if (run) run.text = (run.text ?? "") + event.value;
        else cell.text = (cell.text ?? "") + event.value;
      } else if (event.eventType === "opentag") {
        const { name, attributes } = event.value;
        if (name === "row") {
          const number = Number.parseInt(attributes.r ?? "", 10);
          line = Number.isNaN(number) ? line + 1 : number;
          cells = [];
          hasValue = false;
        } else if (name === "c" && cells) {
          cell = new CellReading(attributes, columnOf(attributes.r) ?? cells.length + 1);
        } else if (cell && (name === "v" || name === "t" || name === "f")) {
          into = name;
          if (name === "f" && attributes.t !== undefined) cell.shared = true;
        } else if (cell && name === "r") {
          run = {};
        }
      } else {
        const { name } = event.value;
        if (name === "c" && cell && cells) {
          const read = cell.cell(workbook);
          while (cells.length < cell.column - 1) cells.push({ value: undefined });
          cells[cell.column - 1] = read;
          if (read.value !== undefined) hasValue = true;
          cell = undefined;
        } else if (name === "r" && cell && run) {
          cell.runs ??= [];
          cell.runs.push(run);
          run = undefined;
        } else if (name === "v" || name === "t" || name === "f" || name === "is") {
          into = undefined;
        } else if (name === "row" && cells) {
          if (hasValue) rows.push({ line, cells });
          cells = undefined;
        } else if (name === "sheetData") {
          yield* rows;
          return;
        }
      }
    }
    yield* rows;
  }
}

export async function* readXlsxRows(source: ExportBytes, fileName: string): AsyncGenerator<TableRow> {
  const workbook = await openWorkbook(source, fileName);
  try {
    yield* sheetRows(source, workbook, fileName);
  } catch (error) {
    if (error instanceof InvalidInput) throw error;
    throw new InvalidInput(fileName, `is not a readable xlsx workbook: ${(error as Error).message}`);
  }
}
