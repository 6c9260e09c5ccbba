import { describe, expect, it } from "vitest";
import { agentLabeller } from "../../src/present/agent-label.ts";

describe("naming an agent on a card", () => {
  const roster = [
    { id: "t0", name: "小张" },
    { id: "chat-zhang", name: "小张" },
    { id: "li", name: "小李" },
  ];

  it("uses the name, with the id in brackets only when two agents share the name", () => {
    const zh = agentLabeller(roster, "zh-CN");
    expect(zh({ id: "li", name: "小李" })).toBe("小李");
    expect(zh({ id: "chat-zhang", name: "小张" })).toBe("小张（chat-zhang）");
    expect(agentLabeller(roster, "en")({ id: "t0", name: "小张" })).toBe("小张 (t0)");
  });
});
