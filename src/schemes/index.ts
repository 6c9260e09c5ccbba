import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, extname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import {
  buildScheme,
  DEFAULT_SEASON_CALENDAR,
  InvalidDocument,
  InvalidInput,
  type Issue,
  type Scheme,
  type SeasonCalendar,
  withSeasonWindows,
} from "../engine/index.ts";
import { BUILTIN_SCHEMES } from "./builtin-names.ts";
import { extendedDocument } from "./scheme-extends.ts";

/**
 * Scheme files (YAML or JSON) from disk: the built-in ones shipped in builtin/, or a path.
 * Validation problems come back with the line they are on.
 */

// The YAML files stay in src/ (the build copies no data): this path works from src/schemes/
// and from dist/schemes/ alike.
const builtinDir = fileURLToPath(new URL("../../src/schemes/builtin/", import.meta.url));

function pathSegments(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

function lineOf(doc: ReturnType<typeof parseDocument>, lines: LineCounter, path: string): number | undefined {
  const segments = pathSegments(path);
  for (let n = segments.length; n >= 0; n--) {
    const node = doc.getIn(segments.slice(0, n), true) as Node | undefined;
    const start = node && (isMap(node) || isSeq(node) || "range" in node) ? node.range?.[0] : undefined;
    if (start !== undefined) return lines.linePos(start).line;
  }
  return undefined;
}

/**
 * Parses and validates the text of a scheme file; `source` names it in errors. Seasons without
 * dates take them from the calendar (the configuration's `seasons` over the defaults). A scheme
 * that `extends` another (scheme-extends.ts) is read over its base; `file` is where a relative
 * base is looked for from.
 */
export function parseSchemeText(
  text: string,
  source: string,
  calendar: SeasonCalendar = DEFAULT_SEASON_CALENDAR,
  file?: string,
): Scheme {
  return parseSchemeDocument(text, source, calendar, file).scheme;
}

function parseSchemeDocument(
  text: string,
  source: string,
  calendar: SeasonCalendar,
  file: string | undefined,
): { scheme: Scheme; document: unknown } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new InvalidDocument(
      `scheme file ${source}`,
      doc.errors.map((e) => {
        const issue: Issue = { path: "", message: `not valid YAML/JSON: ${e.message.split("\n")[0]}` };
        if (e.linePos) issue.line = e.linePos[0].line;
        return issue;
      }),
    );
  }
  const fallbackId = basename(source, extname(source));
  try {
    const document = extendedDocument(doc.toJS(), file ? dirname(file) : process.cwd(), readBase);
    return { scheme: buildScheme(document, fallbackId, calendar), document };
  } catch (error) {
    if (!(error instanceof InvalidDocument)) throw error;
    const issues: Issue[] = error.issues.map((issue) => {
      const line = issue.path ? lineOf(doc, lines, issue.path) : undefined;
      return line ? { ...issue, line } : issue;
    });
    throw new InvalidDocument(`scheme file ${source}`, issues);
  }
}

/** A built-in scheme by name (presales, seed-example …) or a YAML/JSON file by path. */
export async function loadScheme(nameOrPath: string): Promise<Scheme> {
  return (await readScheme(nameOrPath)).scheme;
}

/** The file a scheme is read from: a built-in's YAML in builtin/, or the path given. */
export function schemeFile(nameOrPath: string): string {
  return (BUILTIN_SCHEMES as readonly string[]).includes(nameOrPath)
    ? `${builtinDir}${nameOrPath}.yaml`
    : nameOrPath;
}

/**
 * The scheme and the plain document it was built from, its seasons' windows filled in from the
 * calendar: what the store keeps as a version, whole, so a past month is re-scored with the dates
 * that held then.
 */
export async function readScheme(
  nameOrPath: string,
  calendar: SeasonCalendar = DEFAULT_SEASON_CALENDAR,
): Promise<{ scheme: Scheme; document: unknown }> {
  const builtin = (BUILTIN_SCHEMES as readonly string[]).includes(nameOrPath);
  const file = schemeFile(nameOrPath);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "EISDIR") throw error;
    throw new InvalidInput(
      "--scheme",
      `"${nameOrPath}" is neither a built-in scheme (${BUILTIN_SCHEMES.join(", ")}) nor a readable file`,
    );
  }
  const { scheme, document } = parseSchemeDocument(
    text,
    builtin ? `${nameOrPath} (built-in)` : nameOrPath,
    calendar,
    file,
  );
  return { scheme, document: withSeasonWindows(document, calendar) };
}

/** A base scheme's document, for `extends`: a built-in by name, else a file relative to `from`. */
function readBase(name: string, from: string): { document: unknown; dir: string } | undefined {
  const builtin = (BUILTIN_SCHEMES as readonly string[]).includes(name);
  const file = builtin ? schemeFile(name) : resolve(from, name);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  return { document: doc.toJS(), dir: dirname(file) };
}

export { BUILTIN_SCHEMES };
