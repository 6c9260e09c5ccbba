import type { Reply } from "../../chat/reply.ts";
import type { Lang } from "../../i18n/index.ts";
import { appealById } from "../../store/appeal-repo.ts";
import { decideReply } from "./appeal-decide.ts";
import { appealMessagesFor } from "./appeal-messages.ts";
import type { ClickHandler } from "./command-deps.ts";
import { commandMessagesFor } from "./command-messages.ts";
import { placeCaller } from "./place-caller.ts";
import { schemesOnOf } from "./scheme-cache.ts";

/**
 * The appeal buttons (action ids `appeal:<what>`). A button carries no text, and none of the
 * platforms lets a button fill in the message box (Slack could open a modal, Feishu a form, but
 * DingTalk's cards cannot, and the reply model has neither), so on every platform alike a button
 * that needs words answers privately with the command to send, filled in as far as it can be:
 *  - `appeal:start` (nudges, the scorecard): value `item:<period>` or `facts:<id>,<id>…`
 *  - `appeal:accept`: a fact's appeal is accepted at once (its exclusion needs no value); an
 *    item's answers with `appeal accept <id> ` to complete with the corrected value
 *  - `appeal:reject`: answers with `appeal reject <id> ` to complete with the reason.
 */

const zh = (lang: Lang) => lang !== "en";

export const appealClick: ClickHandler = async (deps, click) => {
  const what = click.actionId.split(":")[1];
  const { roster, viewer, lang } = await placeCaller(deps, click.caller);
  const private_ = (text: string): Reply => ({ blocks: [{ kind: "text", text }], private: true });
  if (viewer.kind !== "agent") return private_(commandMessagesFor(lang).unlinked);
  const a = appealMessagesFor(lang);
  const word = (zhWord: string, enWord: string) => (zh(lang) ? zhWord : enWord);
  const appeal = word("申诉", "appeal");
  switch (what) {
    case "start": {
      const [kind, rest = ""] = click.value.split(":");
      if (kind === "item")
        return private_(
          a.appealHow(`/kpi ${appeal} <${word("指标", "metric")}> ${rest} <${word("理由", "reason")}>`),
        );
      const ids = rest.split(",").filter((id) => /^\d{1,9}$/.test(id));
      return private_(
        ids.map((id) => a.appealHow(`/kpi ${appeal} #${id} <${word("理由", "reason")}>`)).join("\n") ||
          a.appealHow(`/kpi ${appeal} #<${word("编号", "id")}> <${word("理由", "reason")}>`),
      );
    }
    case "accept": {
      const id = click.value;
      const found = /^\d{1,9}$/.test(id) ? await appealById(deps.db, Number(id)) : undefined;
      if (found?.factId !== null && found !== undefined) {
        const schemesOn = schemesOnOf(deps);
        return decideReply(deps, schemesOn, viewer, roster, id, { accept: true, value: "exclude" }, lang);
      }
      return private_(
        a.typeThis(`/kpi ${appeal} ${word("同意", "accept")} ${id} <${word("更正值", "value")}>`),
      );
    }
    case "reject":
      return private_(
        a.typeThis(`/kpi ${appeal} ${word("驳回", "reject")} ${click.value} <${word("理由", "reason")}>`),
      );
    default:
      return undefined;
  }
};
