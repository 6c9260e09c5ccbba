import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { SLACK_BOT_EVENTS, SLACK_BOT_SCOPES, slackManifest } from "../../../src/chat/slack/slack-manifest.ts";
import { clientCalls, sourceLines } from "./source-scan.ts";

/**
 * Slack's documented bot scopes for each Web API method the bot may call (docs.slack.dev, each
 * method's "Required scopes"; conversations.* need the one for the kinds of channel the bot uses:
 * public and private digest channels, and DMs). A call missing from this table fails the test
 * until its scopes are written here and in SLACK_BOT_SCOPES.
 */
const METHOD_SCOPES: Record<string, string[]> = {
  "auth.test": [],
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "conversations.open": ["im:write"],
  "conversations.history": ["channels:history", "groups:history", "im:history"],
  "conversations.info": ["channels:read", "groups:read"],
  "files.getUploadURLExternal": ["files:write"],
  "files.completeUploadExternal": ["files:write"],
  filesUploadV2: ["files:write"],
  "users.info": ["users:read"],
  "users.lookupByEmail": ["users:read", "users:read.email"],
  "users.list": ["users:read"],
};

/** Each Bolt listener's events, as subscribed in the manifest, and the scopes they need. */
const LISTENED_EVENTS: Record<string, { events: string[]; scopes: string[] }> = {
  // slack-listeners.ts takes messages in the bot's DMs only (channel_type im).
  message: { events: ["message.im"], scopes: ["im:history"] },
  app_mention: { events: ["app_mention"], scopes: ["app_mentions:read"] },
};

const lines = sourceLines("chat/slack");
// web-api binds each Web API method to apiCall; filesUploadV2 is its one composite method.
const calls = clientCalls(
  lines,
  new webApi.WebClient(),
  (method, path) => method.name === "bound apiCall" || path.join(".") === "filesUploadV2",
);
// A method called by name: client.apiCall("users.lookupByEmail", …).
for (const line of lines) for (const m of line.matchAll(/apiCall\(\s*["'`]([\w.]+)["'`]/g)) calls.add(m[1]!);
const listened = new Set(
  lines.flatMap((line) => [...line.matchAll(/app\.event\(\s*"([\w.]+)"/g)].map((m) => m[1]!)),
);
const takesCommands = lines.some((line) => /app\.command\(/.test(line));
const takesClicks = lines.some((line) => /app\.action\b/.test(line));

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe("the Slack app manifest keeps in step with the code", () => {
  it("finds the Web API calls the adapter and the doctor make", () => {
    expect([...calls]).toEqual(
      expect.arrayContaining(["chat.postMessage", "conversations.open", "auth.test", "conversations.info"]),
    );
    expect(listened).toEqual(new Set(["app_mention", "message"]));
    expect(takesCommands && takesClicks).toBe(true);
  });

  it("asks for exactly the scopes the calls, events and the slash command need", () => {
    const unknown = [...calls].filter((method) => !(method in METHOD_SCOPES));
    expect(unknown, "add these methods and their scopes to METHOD_SCOPES").toEqual([]);
    const needed = [
      ...[...calls].flatMap((method) => METHOD_SCOPES[method]!),
      ...[...listened].flatMap((event) => LISTENED_EVENTS[event]?.scopes ?? [`unknown event ${event}`]),
      ...(takesCommands ? ["commands"] : []),
    ];
    expect(sorted(Object.keys(SLACK_BOT_SCOPES))).toEqual(sorted(needed));
    const manifest = slackManifest({ url: "https://kpi.example.com", mode: "http", name: "KPI bot" });
    expect(sorted(manifest.oauth_config.scopes.bot)).toEqual(sorted(needed));
  });

  it("subscribes to the events the listeners take, with interactivity for the buttons", () => {
    const manifest = slackManifest({ url: "https://kpi.example.com", mode: "http", name: "KPI bot" });
    const events = [...listened].flatMap((event) => LISTENED_EVENTS[event]!.events);
    expect(sorted(manifest.settings.event_subscriptions.bot_events)).toEqual(sorted(events));
    expect(sorted(SLACK_BOT_EVENTS)).toEqual(sorted(events));
    expect(manifest.settings.interactivity.is_enabled).toBe(takesClicks);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(["/kpi"]);
  });

  it("points every request URL at /slack/events under the public URL, a path prefix kept", () => {
    const manifest = slackManifest({ url: "https://example.com/kpi/", mode: "http", name: "KPI bot" });
    const url = "https://example.com/kpi/slack/events";
    expect(manifest.features.slash_commands[0]).toMatchObject({ url });
    expect(manifest.settings.event_subscriptions).toMatchObject({ request_url: url });
    expect(manifest.settings.interactivity).toMatchObject({ request_url: url });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it("in socket mode names no URL and turns Socket Mode on", () => {
    const manifest = slackManifest({ mode: "socket", name: "KPI bot" });
    expect(JSON.stringify(manifest)).not.toContain("request_url");
    expect(manifest.features.slash_commands[0]).not.toHaveProperty("url");
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it("is a manifest as web-api types one (apps.manifest.create)", () => {
    const manifest: webApi.AppsManifestCreateArguments["manifest"] = slackManifest({
      url: "https://kpi.example.com",
      mode: "http",
      name: "KPI bot",
    });
    expect(manifest.display_information.name).toBe("KPI bot");
  });
});
