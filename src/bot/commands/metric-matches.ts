import type { MetricCatalogue, MetricDef } from "../../engine/index.ts";

/**
 * Metrics whose names come close to what someone typed, for "did you mean": a name containing
 * the text (or contained in it), or within a small edit distance of the name or of its start
 * ("convrsion" → conversion_rate, "转化" → 咨询转化率). Best first, at most `limit`.
 */
export function closeMetrics(asked: string, catalogue: MetricCatalogue, limit = 3): MetricDef[] {
  const query = nameKey(asked);
  if (query === "") return [];
  const allowed = query.length >= 5 ? 2 : query.length >= 3 ? 1 : 0;
  const scored: { def: MetricDef; distance: number }[] = [];
  for (const def of catalogue.all()) {
    let best = Number.POSITIVE_INFINITY;
    for (const name of [def.id, def.zh, def.en, ...(def.aliases ?? [])].map(nameKey)) {
      if (query.length >= 2 && (name.includes(query) || query.includes(name))) best = Math.min(best, 0);
      best = Math.min(best, editDistance(query, name), editDistance(query, name.slice(0, query.length)));
    }
    if (best <= allowed) scored.push({ def, distance: best });
  }
  return scored
    .sort((a, b) => a.distance - b.distance)
    .slice(0, limit)
    .map((s) => s.def);
}

/** As the catalogue compares names: no case, spaces, underscores, dashes or brackets. */
function nameKey(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_\-()（）]/g, "");
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length]!;
}
