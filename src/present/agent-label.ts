import type { Lang } from "../i18n/index.ts";

/**
 * How a person is named on a card or a board, the same in chat and in the terminal: their name,
 * with their agent id in brackets when someone else on the roster has the same name
 * (小张（zhang）), so that two people are never mistaken for one.
 */
export function agentLabeller(
  everyone: Iterable<{ id: string; name: string }>,
  lang: Lang,
): (agent: { id: string; name: string }) => string {
  const seen = new Map<string, string>();
  const shared = new Set<string>();
  for (const { id, name } of everyone) {
    const first = seen.get(name);
    if (first === undefined) seen.set(name, id);
    else if (first !== id) shared.add(name);
  }
  return ({ id, name }) => {
    if (!shared.has(name) || name === id) return name;
    return lang === "en" ? `${name} (${id})` : `${name}（${id}）`;
  };
}
