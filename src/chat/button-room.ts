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

/**
 * How many blocks a message's list of items with buttons may take, leaving room for its title,
 * intro and notes: Slack refuses a message of more than 50 blocks (block-kit.ts keeps buttons and
 * drops text past that, which would leave a row of buttons without the line naming whom they
 * rate); Feishu a card of more than 200 components, where a row of n buttons is 1 + 2n of them (a
 * column set, and a column and a button for each; card.ts). DingTalk's limit is its five buttons.
 */
export const LIST_BLOCKS_PER_MESSAGE: Readonly<Record<ChatPlatform, number>> = {
  slack: 40,
  feishu: 180,
  dingtalk: Number.POSITIVE_INFINITY,
  console: 40,
};

/** What a row of `buttons` buttons costs against LIST_BLOCKS_PER_MESSAGE; a text block costs 1. */
export function buttonRowBlocks(platform: ChatPlatform, buttons: number): number {
  return platform === "feishu" ? 1 + 2 * buttons : 1;
}
