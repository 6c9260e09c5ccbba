import { describe, expect, it } from "vitest";
import {
  DEFAULT_SESSION_WEBHOOK_HOSTS,
  dingtalkConfigSchema,
} from "../../../src/chat/dingtalk/dingtalk-config.ts";
import { hostOf, isAllowedReplyUrl, replyOrigins } from "../../../src/chat/dingtalk/session-webhook-hosts.ts";

// DingTalk's own hosts, and a loopback API base the way the tests' fake is configured.
const allowed = replyOrigins(DEFAULT_SESSION_WEBHOOK_HOSTS, ["http://127.0.0.1:4100/"]);
const may = (url: string) => isAllowedReplyUrl(url, allowed);
const SESSION = "/robot/sendBySession?session=5ec80d68f6923eafe1688bc914cc53d1";

describe("the hosts a DingTalk sessionWebhook may name", () => {
  it("allows DingTalk's own hosts over https, in any case, on the standard port", () => {
    expect(may(`https://oapi.dingtalk.com${SESSION}`)).toBe(true);
    expect(may(`https://api.dingtalk.com${SESSION}`)).toBe(true);
    expect(may(`https://OAPI.DingTalk.com${SESSION}`)).toBe(true);
    expect(may(`https://oapi.dingtalk.com:443${SESSION}`)).toBe(true);
  });

  it("refuses http://", () => {
    expect(may(`http://oapi.dingtalk.com${SESSION}`)).toBe(false);
  });

  it("refuses a host that only ends or begins like DingTalk's", () => {
    expect(may(`https://oapi.dingtalk.com.evil.net${SESSION}`)).toBe(false);
    expect(may(`https://oapi.dingtalk.com.${SESSION}`)).toBe(false);
    expect(may(`https://evil.oapi.dingtalk.com${SESSION}`)).toBe(false);
    expect(may(`https://evildingtalk.com${SESSION}`)).toBe(false);
    expect(may(`https://dingtalk.com${SESSION}`)).toBe(false);
  });

  it("refuses user info, whether DingTalk's host is the user or the host", () => {
    expect(may(`https://oapi.dingtalk.com@evil.net${SESSION}`)).toBe(false);
    expect(may(`https://oapi.dingtalk.com:443@evil.net${SESSION}`)).toBe(false);
    expect(may(`https://user:pw@oapi.dingtalk.com${SESSION}`)).toBe(false);
    expect(may(`https://evil.net\\@oapi.dingtalk.com${SESSION}`)).toBe(false);
  });

  it("refuses another port", () => {
    expect(may(`https://oapi.dingtalk.com:8443${SESSION}`)).toBe(false);
    expect(may(`https://oapi.dingtalk.com:80${SESSION}`)).toBe(false);
  });

  it("refuses IP literals, but for the exact origin of a configured API base", () => {
    expect(may(`https://203.0.113.7${SESSION}`)).toBe(false);
    expect(may(`https://[::1]${SESSION}`)).toBe(false);
    expect(may(`http://169.254.169.254/latest/meta-data/`)).toBe(false);
    expect(may(`http://127.0.0.1:4100${SESSION}`)).toBe(true);
    expect(may(`http://127.0.0.1:4101${SESSION}`)).toBe(false);
    expect(may(`https://127.0.0.1:4100${SESSION}`)).toBe(false);
    expect(may(`http://localhost:4100${SESSION}`)).toBe(false);
  });

  it("refuses what is not a web URL", () => {
    expect(may("oapi.dingtalk.com/robot/sendBySession")).toBe(false);
    expect(may("javascript:alert(1)")).toBe(false);
    expect(may("file:///etc/passwd")).toBe(false);
  });

  it("names a URL by its host and port only, never its path or query", () => {
    expect(hostOf(`https://sink.example.net:8443${SESSION}`)).toBe("sink.example.net:8443");
    expect(hostOf(`https://oapi.dingtalk.com@evil.net${SESSION}`)).toBe("evil.net");
  });
});

describe("chat.dingtalk.sessionWebhookHosts", () => {
  const hostsOf = (sessionWebhookHosts?: unknown) =>
    dingtalkConfigSchema.parse({ sessionWebhookHosts }).sessionWebhookHosts;

  it("defaults to oapi.dingtalk.com and api.dingtalk.com", () => {
    expect(hostsOf()).toEqual(["oapi.dingtalk.com", "api.dingtalk.com"]);
  });

  it("takes bare host names, lower-cased", () => {
    expect(hostsOf([" OApi.DingTalk.com", "oapi.dingtalk.example.cn"])).toEqual([
      "oapi.dingtalk.com",
      "oapi.dingtalk.example.cn",
    ]);
  });

  it("refuses a scheme, a port, a path or a wildcard, saying what to write", () => {
    for (const host of [
      "https://oapi.dingtalk.com",
      "oapi.dingtalk.com:443",
      "oapi.dingtalk.com/robot",
      "*.dingtalk.com",
    ]) {
      const parsed = dingtalkConfigSchema.safeParse({ sessionWebhookHosts: [host] });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]).toMatchObject({
        path: ["sessionWebhookHosts", 0],
        message: expect.stringContaining("write a host name"),
      });
    }
  });
});
