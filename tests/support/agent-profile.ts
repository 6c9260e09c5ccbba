import type { AgentProfile } from "../../src/store/agent-day-repo.ts";

/** A presales agent of 售前一组 (team t1, supervisor boss) in shop s1, Asia/Shanghai. */
export const agentProfile = (id: string, name: string): AgentProfile => ({
  id,
  name,
  role: "presales",
  teamId: "t1",
  teamName: "售前一组",
  supervisorId: "boss",
  traineeSince: null,
  shift: null,
  active: true,
  shopId: "s1",
  timeZone: "Asia/Shanghai",
  category: null,
});
