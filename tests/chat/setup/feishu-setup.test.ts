import * as lark from "@larksuiteoapi/node-sdk";
import { describe, expect, it } from "vitest";
import { type FeishuEventContext, feishuEventHandlers } from "../../../src/chat/feishu/feishu-events.ts";
import {
  FEISHU_CALLBACKS,
  FEISHU_EVENTS,
  FEISHU_SCOPES,
  feishuSetup,
} from "../../../src/chat/feishu/feishu-setup.ts";
import { clientCalls, sourceLines } from "./source-scan.ts";

/**
 * Feishu's documented permissions for each OpenAPI method the bot may call (open.feishu.cn, each
 * method's 权限要求; where any one of several will do, the narrowest). A call missing from this
 * table fails the test until its permission is written here and in FEISHU_SCOPES.
 */
const METHOD_SCOPES: Record<string, string[]> = {
  "auth.v3.tenantAccessToken.internal": [],
  "im.v1.message.create": ["im:message:send_as_bot"],
  "im.v1.message.reply": ["im:message:send_as_bot"],
  "im.v1.message.patch": ["im:message:send_as_bot"],
  "im.v1.image.create": ["im:resource"],
  "im.v1.chatMembers.isInChat": ["im:chat:readonly"],
  "contact.v3.user.batchGetId": ["contact:user.id:readonly"],
};

/** OpenAPI paths the code asks with fetch rather than the SDK. */
const PATH_SCOPES: Record<string, string[]> = {
  "/open-apis/auth/v3/tenant_access_token/internal": [],
};

/** What each handled event or callback needs: a receive event needs its message scopes; a card callback none. */
const HANDLED: Record<string, { kind: "event" | "callback"; scopes: string[] }> = {
  "im.message.receive_v1": {
    kind: "event",
    scopes: ["im:message.p2p_msg:readonly", "im:message.group_at_msg:readonly"],
  },
  "card.action.trigger": { kind: "callback", scopes: [] },
};

const client = new lark.Client({ appId: "cli_test", appSecret: "s", loggerLevel: lark.LoggerLevel.fatal });
// The SDK's API methods sit under a version segment: im.v1.message.create.
const lines = sourceLines("chat/feishu");
const calls = clientCalls(lines, client, (_method, path) => /^v\d+$/.test(path[1] ?? ""));
const paths = new Set(lines.flatMap((line) => [...line.matchAll(/\/open-apis\/[\w/]*\w/g)].map((m) => m[0])));
const handled = Object.keys(feishuEventHandlers({} as FeishuEventContext));
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe("the Feishu set-up keeps in step with the code", () => {
  it("finds the OpenAPI calls the adapter and the doctor make", () => {
    expect([...calls]).toEqual(
      expect.arrayContaining(["im.v1.message.create", "im.v1.chatMembers.isInChat"]),
    );
  });

  it("lists exactly the permissions the calls and the handled events need", () => {
    const unknown = [...calls].filter((method) => !(method in METHOD_SCOPES));
    expect(unknown, "add these methods and their permissions to METHOD_SCOPES").toEqual([]);
    const unknownEvents = handled.filter((name) => !(name in HANDLED));
    expect(unknownEvents, "add these events to HANDLED").toEqual([]);
    const unknownPaths = [...paths].filter((path) => !(path in PATH_SCOPES));
    expect(unknownPaths, "add these paths and their permissions to PATH_SCOPES").toEqual([]);
    const needed = [
      ...[...calls].flatMap((m) => METHOD_SCOPES[m]!),
      ...[...paths].flatMap((p) => PATH_SCOPES[p]!),
      ...handled.flatMap((e) => HANDLED[e]!.scopes),
    ];
    expect(sorted(Object.keys(FEISHU_SCOPES))).toEqual(sorted(needed));
    expect(sorted(feishuSetup({ mode: "websocket" }).scopesImport.scopes.tenant)).toEqual(sorted(needed));
  });

  it("subscribes to the events and the callbacks the dispatcher handles", () => {
    expect(sorted(FEISHU_EVENTS)).toEqual(sorted(handled.filter((e) => HANDLED[e]!.kind === "event")));
    expect(sorted(FEISHU_CALLBACKS)).toEqual(sorted(handled.filter((e) => HANDLED[e]!.kind === "callback")));
  });

  it("gives /feishu/events under the public URL for events and card callbacks in http mode, none over the long connection", () => {
    expect(feishuSetup({ mode: "http", url: "https://kpi.example.com/" }).requestUrl).toBe(
      "https://kpi.example.com/feishu/events",
    );
    expect(feishuSetup({ mode: "websocket" })).not.toHaveProperty("requestUrl");
  });
});
