import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatHandlers } from "../../../src/bot/chat-handlers.ts";
import type { CommandDeps } from "../../../src/bot/commands/command-deps.ts";
import { linkClick } from "../../../src/bot/commands/link-decision.ts";
import { answerCommand } from "../../../src/bot/commands/run-command.ts";
import { syncConfig } from "../../../src/bot/sync-config.ts";
import { renderConsole } from "../../../src/chat/console/render.ts";
import type { Reply } from "../../../src/chat/reply.ts";
import { parseConfig } from "../../../src/config.ts";
import { createMetrics } from "../../../src/server/metrics.ts";
import { auditEntries } from "../../../src/store/audit-repo.ts";
import type { Store } from "../../../src/store/database.ts";
import { chatIdentities, linkRequests } from "../../../src/store/schema.ts";
import { CHAT_FIXTURE_CONFIG, CHAT_FIXTURE_NOW, seedChatFixture } from "../../support/chat-fixture.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";

describe.each(STORE_KINDS)("`link` and its approval on the %s database", (kind) => {
  let store: Store;
  let deps: CommandDeps;
  let notices: { agentId: string; reply: Reply }[];
  const ask = async (userId: string, text: string) =>
    renderConsole(await answerCommand(deps, { platform: "slack", userId }, text));
  const click = async (userId: string, actionId: string, value: string) =>
    renderConsole((await linkClick(deps, { caller: { platform: "slack", userId }, actionId, value }))!);
  /** The request id carried by the last notice's buttons. */
  const requestId = () => {
    const actions = notices.at(-1)!.reply.blocks.find((b) => b.kind === "actions");
    return actions?.kind === "actions" ? actions.actions[0]!.value : "";
  };

  beforeEach(async () => {
    store = await openTestStore(kind);
    notices = [];
    deps = {
      ...(await seedChatFixture(store)),
      notify: async (agentId, reply) => {
        notices.push({ agentId, reply });
      },
    };
  });
  afterEach(() => store.close());

  it("files a request by shop account and asks the agent's supervisor with Approve / Reject buttons", async () => {
    expect(await ask("U_NEW", "link 旗舰店:小李")).toContain("已申请绑定为客服 小李，等待主管 王主管 批准");
    expect(notices.map((n) => n.agentId)).toEqual(["boss"]);
    const notice = notices[0]!.reply;
    expect(renderConsole(notice)).toContain("slack:U_NEW 申请把聊天账号绑定为客服 小李");
    const actions = notice.blocks.find((b) => b.kind === "actions");
    expect(actions?.kind === "actions" && actions.actions.map((a) => a.id)).toEqual([
      "link:approve",
      "link:reject",
    ]);
    expect(await ask("U_NEW", "me")).toContain("还不知道你对应哪位客服");
  });

  it("links on the supervisor's approval: a chat identity of origin link, audited, and the requester told", async () => {
    await ask("U_NEW", "link li");
    const id = requestId();
    expect(await click("U_BOSS", "link:approve", id)).toContain("王主管 已批准 slack:U_NEW 绑定为客服 小李");
    expect(await ask("U_NEW", "me last-month")).toContain("总分 90.6 → B");
    const [identity] = await store.db.select().from(chatIdentities).where(eq(chatIdentities.userId, "U_NEW"));
    expect(identity).toMatchObject({ platform: "slack", agentId: "li", origin: "link" });
    const [audit] = await auditEntries(store.db, "link.approve");
    expect(audit).toMatchObject({ actor: "slack:U_BOSS", subject: "agent:li" });
    expect(notices.at(-1)!.agentId).toBe("li");
    expect(renderConsole(notices.at(-1)!.reply)).toContain("你的绑定申请已批准：你现在是客服 小李");
    expect(await click("U_BOSS", "link:reject", id)).toMatch(/这个绑定申请已由 王主管 于 .* 批准/);
  });

  it("refuses the decision to anyone but the agent's supervisor or an admin", async () => {
    await ask("U_NEW", "link 小李");
    expect(await click("U_ZHANG", "link:approve", requestId())).toContain(
      "只有客服 小李 的主管或管理员可以处理",
    );
    expect(await click("U_STRANGER", "link:approve", requestId())).toContain("还不知道你对应哪位客服");
    expect(await ask("U_NEW", "me")).toContain("还不知道你对应哪位客服");
    deps = { ...deps, admins: new Set(["slack:U_ZHANG"]) };
    expect(await click("U_ZHANG", "link:approve", requestId())).toContain("小张 已批准");
  });

  it("leaves the requester unlinked on rejection", async () => {
    await ask("U_NEW", "link 旗舰店:小张");
    expect(await click("U_BOSS", "link:reject", requestId())).toContain(
      "王主管 已拒绝 slack:U_NEW 绑定为客服 小张",
    );
    expect(await ask("U_NEW", "me")).toContain("还不知道你对应哪位客服");
    const [request] = await store.db.select().from(linkRequests);
    expect(request).toMatchObject({ status: "rejected", decidedBy: "boss" });
    expect(await click("U_BOSS", "link:approve", "9999")).toContain("找不到这个绑定申请");
  });

  it("keeps one pending request per chat user: asking again reminds, another agent replaces it", async () => {
    await ask("U_NEW", "link 小李");
    expect(await ask("U_NEW", "link 小李")).toContain("你绑定为客服 小李 的申请仍在等待批准");
    expect(notices).toHaveLength(2);
    await ask("U_NEW", "link 小张");
    const pending = await store.db.select().from(linkRequests).where(eq(linkRequests.status, "pending"));
    expect(pending.map((r) => r.agentId)).toEqual(["zhang"]);
  });

  it("answers a linked caller, an unknown account and an agent without a supervisor", async () => {
    expect(await ask("U_ZHANG", "link 旗舰店:小李")).toContain("你已绑定为客服 小张");
    expect(await ask("U_NEW", "link 旗舰店:小王")).toContain("找不到账号、编号或姓名为「旗舰店:小王」的客服");
    expect(await ask("U_NEW", "link boss")).toContain("该客服没有主管");
    expect(notices).toEqual([]);
  });

  it("keeps an approved link through a roster sync, which still replaces the roster's own ids", async () => {
    await ask("U_NEW", "link li");
    await click("U_BOSS", "link:approve", requestId());
    const withoutLisSlack = CHAT_FIXTURE_CONFIG.replace("slack: U_LI, ", "");
    await syncConfig(
      store.db,
      { config: parseConfig(withoutLisSlack, "test"), origin: "test", baseDir: "." },
      CHAT_FIXTURE_NOW,
    );
    const ids = await store.db.select().from(chatIdentities).where(eq(chatIdentities.agentId, "li"));
    expect(ids.map((i) => `${i.platform}:${i.userId}:${i.origin}`).sort()).toEqual([
      "dingtalk:staff_li:roster",
      "feishu:ou_li:roster",
      "slack:U_NEW:link",
    ]);
  });

  it("is reached through the bot's click handlers by the action id's prefix", async () => {
    await ask("U_NEW", "link li");
    const handlers = chatHandlers(deps, createMetrics(), { link: linkClick });
    const caller = { platform: "slack" as const, userId: "U_BOSS" };
    const reply = await handlers.click({ caller, actionId: "link:approve", value: requestId() });
    expect(renderConsole(reply!)).toContain("王主管 已批准 slack:U_NEW 绑定为客服 小李");
  });
});
