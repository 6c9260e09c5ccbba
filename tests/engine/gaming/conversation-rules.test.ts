import { describe, expect, it } from "vitest";
import type { Conversation } from "../../../src/engine/conversation.ts";
import {
  guidancePhraseIn,
  judgeConversationKind,
  readConversation,
  DEFAULT_GAMING_THRESHOLDS as T,
  tallyConversations,
} from "../../../src/engine/gaming/index.ts";
import { type Line, talk, times } from "./talk.ts";

const judge = (
  kind: Parameters<typeof judgeConversationKind>[0],
  week: Conversation[],
  past: Conversation[] = [],
) =>
  judgeConversationKind(
    kind,
    tallyConversations(week, T).map((t) => t.kinds[kind]),
    tallyConversations(past, T).map((t) => t.kinds[kind]),
    T,
  );

const plain: Line[] = [
  [0, "c", "这件有现货吗"],
  [8, "a", "亲，这款目前有现货的哦～"],
  [40, "c", "好的，谢谢"],
  [50, "a", "不客气，祝您生活愉快！"],
  [200, "close"],
];
const split: Line[] = [
  [0, "c", "这件有现货吗"],
  [8, "a", "这款衣服"],
  [10, "a", "有现货的"],
  [12, "a", "今天下单明天发货哦～"],
  [40, "c", "好的，谢谢"],
  [50, "a", "不客气！"],
  [200, "close"],
];

describe("split answers (拆句, seed 004)", () => {
  it("finds a sentence cut into fragments seconds apart", () => {
    const traits = readConversation(talk(split), T);
    expect(traits.splits.map((s) => [s.first, s.second])).toEqual([
      ["这款衣服", "有现货的"],
      ["有现货的", "今天下单明天发货哦～"],
    ]);
  });

  it.each<[string, Line[]]>([
    [
      "two punctuated quick phrases",
      [
        [0, "c", "在吗"],
        [5, "a", "亲，您好！"],
        [6, "a", "这款有现货的～"],
      ],
    ],
    [
      "a second message typed 8 s later",
      [
        [0, "c", "在吗"],
        [5, "a", "这款衣服"],
        [13, "a", "有现货的"],
      ],
    ],
    [
      "a customer line between",
      [
        [0, "c", "在吗"],
        [5, "a", "这款衣服"],
        [6, "c", "嗯"],
        [7, "a", "有现货的"],
      ],
    ],
    [
      "two long unpunctuated lines",
      [
        [0, "c", "在吗"],
        [5, "a", "这款衣服目前仓库里还有一些现货"],
        [7, "a", "今天下单的话明天就可以给您发出"],
      ],
    ],
    [
      "a link before its explanation",
      [
        [0, "c", "链接"],
        [5, "a", "https://item.taobao.com/x"],
        [6, "a", "就是这款"],
      ],
    ],
  ])("is not fooled by %s", (_, lines) => {
    expect(readConversation(talk(lines), T).splits).toEqual([]);
  });

  it("alerts when half a week's conversations hold a split, and says what 问答比 would be joined", () => {
    const finding = judge("split_answers", [...times(20, split), ...times(20, plain, "2026-11-24")]);
    expect(finding?.numbers).toMatchObject({ conversations: 40, withSplit: 20, splitPairs: 40 });
    expect(finding!.numbers.qaRatioJoined).toBeLessThan(finding!.numbers.qaRatio!);
    expect(finding!.examples[0]).toMatchObject({ first: "这款衣服", second: "有现货的" });
  });

  it("does not alert on a few splits, nor on an agent who always wrote that way", () => {
    expect(judge("split_answers", [...times(6, split), ...times(34, plain)])).toBeUndefined();
    const habit = [...times(40, split, "2026-11-02", "h"), ...times(60, plain, "2026-11-03", "h")];
    expect(
      judge("split_answers", [...times(20, split), ...times(20, plain, "2026-11-24")], habit),
    ).toBeUndefined();
  });
});

describe("rating invitations aimed at happy customers", () => {
  const happyInvited: Line[] = [
    [0, "c", "有现货吗"],
    [5, "a", "有的！"],
    [30, "c", "好的，谢谢"],
    [40, "invite"],
    [100, "close"],
  ];
  const unhappyNot: Line[] = [
    [0, "c", "怎么还没发货"],
    [5, "a", "抱歉，马上催。"],
    [30, "c", "太慢了，我要投诉"],
    [100, "close"],
  ];
  const unhappyInvited: Line[] = [...unhappyNot.slice(0, 3), [40, "invite"], [100, "close"]];

  it("alerts when only customers who ended happy are invited", () => {
    const finding = judge("invite_targeting", [
      ...times(20, happyInvited),
      ...times(20, unhappyNot, "2026-11-24"),
    ]);
    expect(finding?.numbers).toMatchObject({ ratePositive: 1, rateOther: 0 });
  });

  it("does not alert when unhappy customers are invited too, if less often", () => {
    const week = [
      ...times(20, happyInvited),
      ...times(12, unhappyNot, "2026-11-24"),
      ...times(8, unhappyInvited, "2026-11-25"),
    ];
    expect(judge("invite_targeting", week)).toBeUndefined();
  });

  it("reads a complaint that ends in thanks as a happy customer", () => {
    const resolved: Line[] = [
      [0, "c", "收到的衣服破损了"],
      [5, "a", "抱歉，马上补发。"],
      [30, "c", "好的，谢谢"],
      [40, "invite"],
    ];
    expect(readConversation(talk(resolved), T).mood).toBe("positive");
    expect(
      readConversation(
        talk([
          [0, "c", "好的"],
          [5, "c", "还是不满意"],
        ]),
        T,
      ).mood,
    ).toBe("negative");
  });
});

describe("guidance to a good review (引导好评, seed 000)", () => {
  it.each([
    "亲，给个五星好评哦～",
    "好评返现5元！",
    "亲给个五分呗",
    "满意请给五星哦",
    "好评送小礼品",
    "麻烦给个好评",
  ])("hears %s", (text) => {
    expect(guidancePhraseIn(text)).toBeDefined();
  });

  it.each(["感谢您的好评，我们会继续努力的！", "我们不会强制您给好评的", "这款好评如潮哦", "谢谢亲的好评～"])(
    "lets %s pass",
    (text) => {
      expect(guidancePhraseIn(text)).toBeUndefined();
    },
  );

  const guided: Line[] = [
    [0, "c", "收到了"],
    [5, "a", "亲，满意的话给个五星好评哦～"],
  ];
  it("alerts on two conversations in a week, not on one", () => {
    expect(judge("review_guidance", [...times(2, guided), ...times(30, plain)])?.numbers).toMatchObject({
      withPhrase: 2,
    });
    expect(judge("review_guidance", [...times(1, guided), ...times(30, plain)])).toBeUndefined();
  });

  it("does not count a customer saying it", () => {
    expect(
      readConversation(
        talk([
          [0, "c", "我会给个好评的"],
          [5, "a", "谢谢亲！"],
        ]),
        T,
      ).guidance,
    ).toEqual([]);
  });
});

describe("answers delayed or sessions kept open near a threshold (故意拖延, seed 001)", () => {
  const at = (s: number): Line[] => [
    [0, "c", "在吗"],
    [s, "a", "在的亲！"],
    [s + 30, "c", "好的"],
    [s + 200, "close"],
  ];

  it("alerts when first replies pile up just under 30 s", () => {
    const week = [...times(20, at(27)), ...times(20, at(8), "2026-11-24")];
    expect(judge("threshold_delay", week)).toMatchObject({
      rule: "first_reply_spike",
      numbers: { nearLimit: 20, justOver: 0 },
    });
  });

  it("does not alert on a slow agent whose replies run past 30 s as often as under", () => {
    const week = [
      ...times(12, at(27)),
      ...times(12, at(32), "2026-11-24"),
      ...times(16, at(15), "2026-11-25"),
    ];
    expect(judge("threshold_delay", week)).toBeUndefined();
  });

  it("does not count a first reply after a transfer", () => {
    expect(
      readConversation(
        talk([
          [0, "c", "在吗"],
          [20, "transfer"],
          [27, "a", "在的"],
        ]),
        T,
      ).firstReplyMs,
    ).toBeUndefined();
  });

  const keptOpen: Line[] = [
    [0, "c", "有现货吗"],
    [5, "a", "有的！"],
    [20, "c", "好的"],
    [150, "a", "亲，还在吗？"],
    [300, "a", "亲，还有什么可以帮您？"],
    [600, "close"],
  ];
  const chasedOnce: Line[] = [
    [0, "c", "有现货吗"],
    [5, "a", "有的！"],
    [20, "c", "好的"],
    [150, "a", "亲，还在吗？"],
    [400, "close"],
  ];

  it("alerts when silent customers are pinged to keep sessions open", () => {
    expect(readConversation(talk(keptOpen), T).keptOpen).toEqual({ pings: 2, tailMs: 580_000 });
    expect(
      judge("threshold_delay", [...times(15, keptOpen), ...times(25, plain, "2026-11-24")]),
    ).toMatchObject({ rule: "kept_open" });
  });

  it("does not alert on a customer chased once", () => {
    expect(readConversation(talk(chasedOnce), T).keptOpen).toBeUndefined();
    expect(
      judge("threshold_delay", [...times(15, chasedOnce), ...times(25, plain, "2026-11-24")]),
    ).toBeUndefined();
  });
});

describe("transfers just before a response-time limit", () => {
  const nearLimit: Line[] = [
    [0, "c", "能退货吗"],
    [28, "transfer"],
    [200, "close"],
  ];
  const explained: Line[] = [
    [0, "c", "能退货吗"],
    [20, "a", "这个帮您转售后同事哦。"],
    [28, "transfer"],
  ];
  const early: Line[] = [
    [0, "c", "能退货吗"],
    [12, "transfer"],
  ];

  it("measures the customer's wait at the transfer", () => {
    expect(readConversation(talk(nearLimit), T).transfers).toEqual([
      expect.objectContaining({ waitMs: 28_000, nearLimitMs: 30_000 }),
    ]);
    expect(
      readConversation(
        talk([
          [0, "c", "x"],
          [170, "transfer"],
        ]),
        T,
      ).transfers[0]?.nearLimitMs,
    ).toBe(180_000);
  });

  it("alerts when most transfers come just before 30 s", () => {
    expect(
      judge("transfer_before_limit", [...times(6, nearLimit), ...times(2, early)])?.numbers,
    ).toMatchObject({ transfers: 8, nearLimit: 6 });
  });

  it.each<[string, Conversation[]]>([
    ["three such transfers", [...times(3, nearLimit), ...times(1, early)]],
    ["transfers explained to the customer first", times(6, explained)],
    [
      "transfers the customer asked for",
      times(6, [
        [0, "c", "转人工"],
        [28, "transfer", true],
      ]),
    ],
    ["transfers spread over the wait", [...times(4, nearLimit), ...times(12, early)]],
  ])("does not alert on %s", (_, week) => {
    expect(judge("transfer_before_limit", week)).toBeUndefined();
  });
});
