import type { Reply } from "../../chat/reply.ts";
import { builtinCatalogue, DEFAULT_TIME_ZONE } from "../../engine/index.ts";
import type { Lang } from "../../i18n/index.ts";
import { shopClock } from "../../present/shop-clock.ts";
import { appealsOf } from "../../store/appeal-repo.ts";
import type { Queryable } from "../../store/database.ts";
import { EXCLUSIONS } from "../appeal-corrections.ts";
import { appealWhat, cut } from "./appeal-card.ts";
import { appealMessagesFor } from "./appeal-messages.ts";
import { maySee, type Roster, type Viewer } from "./viewer.ts";

/**
 * `appeals`: the open appeals, oldest first, then those decided in the last 30 days: an agent
 * sees their own (with the status), a supervisor their team's, an admin everyone's.
 */

const DECIDED_SHOWN_MS = 30 * 24 * 3600_000;
const ROWS = 20;
const REASON_SHOWN = 30;

export async function appealsReply(
  db: Queryable,
  viewer: Extract<Viewer, { kind: "agent" }>,
  roster: Roster,
  now: Date,
  lang: Lang,
): Promise<Reply> {
  const a = appealMessagesFor(lang);
  const visible = viewer.admin
    ? undefined
    : [...roster.byId.values()].filter((p) => maySee(viewer, p, roster)).map((p) => p.id);
  const rows = await appealsOf(db, visible, new Date(now.getTime() - DECIDED_SHOWN_MS));
  if (rows.length === 0) return { blocks: [{ kind: "text", text: a.none }], private: true };
  const zone = viewer.agent.timeZone ?? DEFAULT_TIME_ZONE;
  const open = rows.filter((r) => r.status === "open").length;
  const nameOf = (id: string | null) => (id === null ? "" : (roster.byId.get(id)?.name ?? id));
  return {
    title: a.listTitle(open),
    blocks: [
      {
        kind: "table",
        head: Object.values(a.listColumns),
        rows: rows
          .slice(0, ROWS)
          .map((r) => [
            `#${r.id}`,
            nameOf(r.agentId),
            appealWhat(
              r,
              builtinCatalogue.get(r.metric),
              lang,
              r.factId !== null ? factKindOf(r.metric) : undefined,
            ),
            r.status === "open"
              ? a.status.open
              : `${a.status[r.status as "accepted" | "rejected"] ?? r.status}（${nameOf(r.decidedBy)}）`,
            shopClock(r.createdAt.getTime(), zone),
            cut(r.reason, REASON_SHOWN),
          ]),
      },
    ],
    private: true,
  };
}

/** A fact appeal's kind from the metric it changes (appeal-corrections.ts EXCLUSIONS). */
function factKindOf(metric: string): string {
  return Object.entries(EXCLUSIONS).find(([, rule]) => rule.metrics[0] === metric)?.[0] ?? metric;
}
