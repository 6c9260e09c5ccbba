import { InvalidDocument, type Issue } from "../engine/index.ts";

/**
 * `extends`: a scheme written as another one plus what differs, so a shop's variant (or a
 * built-in such as presales-qa) does not copy and then drift from the scheme it is based on.
 *
 * ```yaml
 * extends: presales            # a built-in by name, or a file relative to this one
 * id: presales-rated
 * name: 售前客服考核方案（含主管评分）
 * roles:
 *   presales:
 *     addItems:   [{ metric: teamwork, rule: rated, share: 1 }]
 *     removeItems: [aov_uplift]
 * ```
 *
 * The base's document is taken whole and this one's keys laid over it: a top-level key given
 * replaces the base's (seasons, grades, pay …), and under `roles` each role given is laid over
 * the base's role of that id key by key (`items` given replaces the base's list), then loses its
 * `removeItems` (by metric) and gains its `addItems` at the end. What comes out is a plain
 * scheme document: that is what is validated, and what a scheme version stores, so a past month
 * is re-scored with what the scheme was then, even if the base changes later.
 */

export type BaseReader = (name: string, from: string) => { document: unknown; dir: string } | undefined;

const MAX_DEPTH = 8;

type Doc = Record<string, unknown>;

const isDoc = (x: unknown): x is Doc => typeof x === "object" && x !== null && !Array.isArray(x);

export function extendedDocument(
  document: unknown,
  dir: string,
  readBase: BaseReader,
  seen: string[] = [],
): unknown {
  if (!isDoc(document) || document.extends === undefined) return document;
  const { extends: baseName, roles, ...rest } = document;
  if (typeof baseName !== "string" || baseName.trim() === "") {
    throw invalid("extends", "names the scheme this one extends: a built-in (presales …) or a file");
  }
  if (seen.includes(baseName) || seen.length >= MAX_DEPTH) {
    throw invalid(
      "extends",
      `"${baseName}" extends itself, round about (${[...seen, baseName].join(" → ")})`,
    );
  }
  const base = readBase(baseName, dir);
  if (!base)
    throw invalid("extends", `"${baseName}" is neither a built-in scheme nor a readable scheme file`);
  const baseDoc = extendedDocument(base.document, base.dir, readBase, [...seen, baseName]);
  if (!isDoc(baseDoc)) throw invalid("extends", `"${baseName}" is not a scheme document`);
  const merged: Doc = { ...baseDoc, ...rest };
  if (roles !== undefined) merged.roles = mergedRoles(baseDoc.roles, roles, baseName);
  return merged;
}

function mergedRoles(baseRoles: unknown, roles: unknown, baseName: string): Doc {
  if (!isDoc(roles)) throw invalid("roles", "is a map of roles by id");
  const out: Doc = isDoc(baseRoles) ? { ...baseRoles } : {};
  for (const [id, role] of Object.entries(roles)) {
    if (!isDoc(role)) throw invalid(`roles.${id}`, "is a role: name, dimensions, items …");
    const { addItems, removeItems, ...own } = role;
    const baseRole = isDoc(out[id]) ? (out[id] as Doc) : {};
    const merged: Doc = { ...baseRole, ...own };
    let items = Array.isArray(merged.items) ? [...(merged.items as unknown[])] : [];
    const metricOf = (item: unknown) => (isDoc(item) ? String(item.metric) : "");
    if (removeItems !== undefined) {
      if (!Array.isArray(removeItems)) throw invalid(`roles.${id}.removeItems`, "is a list of metrics");
      for (const [i, metric] of removeItems.entries()) {
        const at = items.findIndex((item) => metricOf(item) === String(metric));
        if (at < 0) {
          throw invalid(
            `roles.${id}.removeItems[${i}]`,
            `"${metric}" is not an item of ${id} in ${baseName}`,
          );
        }
        items.splice(at, 1);
      }
    }
    if (addItems !== undefined) {
      if (!Array.isArray(addItems)) throw invalid(`roles.${id}.addItems`, "is a list of items");
      for (const [i, item] of addItems.entries()) {
        if (items.some((have) => metricOf(have) === metricOf(item))) {
          throw invalid(
            `roles.${id}.addItems[${i}]`,
            `"${metricOf(item)}" is an item of ${id} already: remove it first (removeItems) to change it`,
          );
        }
      }
      items = [...items, ...addItems];
    }
    merged.items = items;
    out[id] = merged;
  }
  return out;
}

function invalid(path: string, message: string): InvalidDocument {
  const issue: Issue = { path, message };
  return new InvalidDocument("scheme", [issue]);
}
