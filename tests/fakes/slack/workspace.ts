/**
 * The one workspace the fake Slack plays. Ids keep Slack's prefixes (T team, A app, U user, B bot)
 * because code under test may tell a user id from a channel id by its first letter.
 */
export const fakeWorkspace = {
  teamId: "T0KPIBOT1",
  teamDomain: "kpi-bot-test",
  appId: "A0KPIBOT1",
  botUserId: "U0KPIBOT1",
  botId: "B0KPIBOT1",
  botToken: "xoxb-fake-kpi-bot-token",
} as const;
