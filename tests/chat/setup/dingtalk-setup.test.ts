import { TOPIC_CARD, TOPIC_ROBOT } from "dingtalk-stream";
import { describe, expect, it } from "vitest";
import { DINGTALK_PERMISSIONS, DINGTALK_STREAM_TOPICS } from "../../../src/chat/dingtalk/dingtalk-setup.ts";
import { sourceLines } from "./source-scan.ts";

/**
 * DingTalk's permissions for each endpoint the bot may call (open.dingtalk.com, each API's 权限;
 * the token, media upload and a custom robot's webhook need none). `optional` ones serve only
 * `kpi doctor`. A path missing from this table fails the test until it is written here and in
 * DINGTALK_PERMISSIONS.
 */
const PATH_PERMISSIONS: Record<string, { permissions: string[]; optional?: boolean }> = {
  "/v1.0/oauth2/accessToken": { permissions: [] },
  "/v1.0/robot/oToMessages/batchSend": { permissions: ["qyapi_robot_sendmsg"] },
  "/v1.0/robot/groupMessages/send": { permissions: ["qyapi_robot_sendmsg"] },
  "/v1.0/robot/groups/robots/query": { permissions: ["qyapi_chat_manage"], optional: true },
  "/media/upload": { permissions: [] },
  "/robot/send": { permissions: [] },
  "/topapi/v2/user/getbymobile": { permissions: ["qyapi_get_member_by_mobile"] },
};

// dingtalk-setup.ts names the paths in its descriptions: it is the list under test, not a caller.
const lines = sourceLines("chat/dingtalk", ["dingtalk-setup.ts"]);
const paths = new Set(
  lines.flatMap((line) => [...line.matchAll(/\/(?:v1\.0|topapi|media|robot)\/[\w/.]*\w/g)].map((m) => m[0])),
);
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe("the DingTalk set-up keeps in step with the code", () => {
  it("finds the endpoints the robot and the doctor call", () => {
    expect([...paths]).toEqual(
      expect.arrayContaining(["/v1.0/robot/oToMessages/batchSend", "/v1.0/oauth2/accessToken"]),
    );
  });

  it("lists exactly the permissions those endpoints need, optional ones marked", () => {
    const unknown = [...paths].filter((path) => !(path in PATH_PERMISSIONS));
    expect(unknown, "add these endpoints and their permissions to PATH_PERMISSIONS").toEqual([]);
    const used = [...paths].map((path) => PATH_PERMISSIONS[path]!);
    const required = used.filter((p) => !p.optional).flatMap((p) => p.permissions);
    const optional = used.filter((p) => p.optional).flatMap((p) => p.permissions);
    const listed = Object.entries(DINGTALK_PERMISSIONS);
    expect(sorted(listed.filter(([, p]) => !p.optional).map(([id]) => id))).toEqual(sorted(required));
    expect(sorted(listed.filter(([, p]) => p.optional).map(([id]) => id))).toEqual(sorted(optional));
  });

  it("names the Stream topics the robot subscribes to", () => {
    const adapter = sourceLines("chat/dingtalk").join("\n");
    expect(adapter).toContain("[TOPIC_ROBOT]");
    expect(adapter).toContain("[TOPIC_CARD]");
    expect(DINGTALK_STREAM_TOPICS).toEqual([TOPIC_ROBOT, TOPIC_CARD]);
  });
});
