import { describe, expect, it } from "vitest";
import { useChatFixture } from "../../support/chat-fixture.ts";
import { STORE_KINDS } from "../../support/stores.ts";

describe.each(STORE_KINDS)("`targets` on the %s database", (kind) => {
  const fixture = useChatFixture(kind);
  const { ask } = fixture;

  it("lists an agent's targets, weights and scoring rules with the grade bands", async () => {
    const text = await ask("U_ZHANG", "targets");
    expect(text).toContain("售前客服 考核标准 · 售前客服月度考核（文档示例）");
    expect(text).toMatch(/咨询转化率\s+│\s+≥15% │\s+20% │ 按完成比例计分，最高 100 分/);
    expect(text).toMatch(/首次响应时间\s+│\s+≤30 s │\s+15% │/);
    expect(text).toContain(
      "等级：S（卓越）≥110 分，系数 1.3；A（优秀）≥100 分，系数 1.1；B（良好）≥90 分，系数 1.0；C（待改进）≥80 分，系数 0.8；D（不合格）<80 分，系数 0.6",
    );
  });

  it("lists a supervisor's team-scored targets, dimension weights split among their items", async () => {
    const text = await ask("U_BOSS", "targets");
    expect(text).toContain("客服主管 考核标准");
    // team results 35% split 4:3 between conversion and AOV uplift.
    expect(text).toMatch(/咨询转化率\s+│\s+≥15% │\s+20% │/);
    expect(text).toMatch(/客单价提升率\s+│\s+≥5% │\s+15% │/);
    expect(text).toContain("按全组汇总的数据计分");
  });

  it("tells an unlinked user to link first", async () => {
    expect(await ask("U_STRANGER", "targets")).toContain("link <客服账号>");
  });
});
