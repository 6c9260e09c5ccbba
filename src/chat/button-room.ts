import type { ChatPlatform } from "./caller.ts";
import { MAX_TEMPLATE_BUTTONS } from "./dingtalk/robot-payloads.ts";

/**
 * How many buttons one direct message can carry on each platform, as its renderer sends them.
 * DingTalk's robot writes to a person through the OpenAPI's action card templates, which take
 * five buttons in all (robot-payloads.ts; a sixth would be dropped). Slack (25 buttons a row,
 * block-kit.ts starts a new row past that; 50 blocks, buttons kept first) and Feishu (a card's
 * 30 KB, card.ts) take every button a message of ours carries: a use-case cuts its lists for
 * reading long before. A use-case that cuts a list to fit says how many more and how to see them.
 */
export const BUTTONS_PER_MESSAGE: Readonly<Record<ChatPlatform, number>> = {
  slack: Number.POSITIVE_INFINITY,
  feishu: Number.POSITIVE_INFINITY,
  dingtalk: MAX_TEMPLATE_BUTTONS,
  console: Number.POSITIVE_INFINITY,
};
