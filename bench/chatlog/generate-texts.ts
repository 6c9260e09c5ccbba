import type { Random } from "./generate-random.ts";

/**
 * What customers and agents say in the generated chats: short sentences as on Taobao/JD/Pinduoduo
 * shop chats. Some hold ASCII commas, double quotes or a line break so the CSV needs RFC 4180
 * quoting. Each text is encoded for CSV and JSON once, at start-up, not once per line.
 */
export interface Text {
  readonly raw: string;
  /** The CSV field: quoted (quotes doubled) when it holds a comma, quote or line break. */
  readonly csv: string;
  /** The JSON string literal. */
  readonly json: string;
  /** `csv` and `json` in UTF-8, for the message files. */
  readonly csvBytes: Uint8Array;
  readonly jsonBytes: Uint8Array;
}

export function text(raw: string): Text {
  const csv = /[",\r\n]/.test(raw) ? `"${raw.replaceAll('"', '""')}"` : raw;
  const json = JSON.stringify(raw);
  return { raw, csv, json, csvBytes: Buffer.from(csv), jsonBytes: Buffer.from(json) };
}

export const PRODUCTS = [
  "羽绒服",
  "保温杯",
  "蓝牙耳机",
  "电饭煲",
  "面霜",
  "运动鞋",
  "双肩包",
  "空气炸锅",
  "四件套",
  "扫地机器人",
  "卫衣",
  "口红",
  "奶粉",
  "猫粮",
  "行李箱",
];

type Template = string | ((product: string) => string);

/**
 * Texts to pick from; a template naming a product is expanded for every product, and a pick
 * takes the session's product, so a chat stays about one thing.
 */
export class TextPool {
  private readonly entries: ReadonlyArray<Text | readonly Text[]>;

  constructor(templates: readonly Template[]) {
    this.entries = templates.map((template) =>
      typeof template === "string" ? text(template) : PRODUCTS.map((product) => text(template(product))),
    );
  }

  /** A random text; `product` (0 ≤ product < PRODUCT_COUNT) fills product templates. */
  pick(random: Random, product: number): Text {
    const entry = random.pick(this.entries);
    return isTextList(entry) ? entry[product]! : entry;
  }

  /** Every text the pool can give. */
  all(): Text[] {
    return this.entries.flatMap((entry) => (isTextList(entry) ? [...entry] : [entry]));
  }
}

function isTextList(entry: Text | readonly Text[]): entry is readonly Text[] {
  return Array.isArray(entry);
}

function texts(templates: readonly Template[]): TextPool {
  return new TextPool(templates);
}

/** A conversation subject: what the customer asks, what the agent answers, and asides. */
export interface Topic {
  readonly name: "presale" | "shipping" | "promotion" | "aftersale";
  readonly questions: TextPool;
  readonly answers: TextPool;
}

export const TOPICS: readonly Topic[] = [
  {
    name: "presale",
    questions: texts([
      (p) => `${p}有货吗？`,
      (p) => `这款${p}还有现货吗`,
      (p) => `${p}有没有大一点的`,
      (p) => `${p}是"正品"吗？`,
      (p) => `这个${p}和上一款有什么区别`,
      (p) => `${p}能便宜点吗,买两件`,
      (p) => `${p}颜色有色差吗`,
      "身高170,体重65kg穿什么码",
      "这个有货吗？",
      "有其他颜色吗",
      "这个质量怎么样",
    ]),
    answers: texts([
      "亲，有的哦",
      "亲，有的哦，现在拍下今天就能发货~",
      "亲，建议您拍M码哦，偏大一码",
      "亲，我们是品牌官方旗舰店，商品都支持专柜验货哦",
      "亲，这款是今年的新款，面料升级了哦",
      "亲，目前活动价已经是最低了哦，可以领取店铺优惠券再减20",
      "亲，实物拍摄，可能会有轻微色差哦",
      "亲，170/65kg建议拍L码,平时穿M的话也可以拍M",
      (p) => `亲，${p}目前还有库存，喜欢的话尽快下单哦`,
    ]),
  },
  {
    name: "shipping",
    questions: texts([
      "什么时候发货？",
      "今天下单明天能到吗",
      "我的快递怎么还没到",
      "物流三天没更新了",
      "能发顺丰吗",
      "订单能改地址吗？",
      "可以合并发货吗,拍了两单",
      (p) => `我买的${p}到哪了`,
    ]),
    answers: texts([
      "亲，今天16点前付款当天发货哦",
      "亲，默认发中通，需要顺丰的话要补差价哦",
      "亲，帮您查询了一下，包裹已经到您所在城市了，预计明天送达",
      "亲，双11期间订单量大，我们会在72小时内发货，请您耐心等待",
      "好的亲，地址已经帮您修改好了",
      "亲，已经帮您备注合并发货了",
      "亲，已经帮您催促快递了,有消息第一时间通知您",
    ]),
  },
  {
    name: "promotion",
    questions: texts([
      "双11有什么优惠",
      "定金什么时候付尾款",
      "满减可以叠加优惠券吗",
      "现在买和双11当天买价格一样吗",
      "我前天买的,现在降价了能保价吗",
      "红包怎么用不了",
      "赠品还有吗？",
      (p) => `${p}双11有优惠吗`,
    ]),
    answers: texts([
      "亲，双11当天满300减50，还可以叠加店铺券哦",
      "亲，尾款11月10日晚8点开始支付哦，记得设置提醒~",
      "亲，支持价保的，请您提供订单号，我这边帮您申请差价",
      '亲，活动规则如下：\n1. 满300减50,上不封顶\n2. 前1小时付款送"限定礼盒"',
      "亲，赠品数量有限，先付先得哦",
      "亲，跨店满减和店铺券是可以叠加使用的哦",
      '亲，"保价"是指活动期间降价可以退差价哦',
    ]),
  },
  {
    name: "aftersale",
    questions: texts([
      "收到的东西坏了",
      "我要退货",
      "可以换个尺码吗",
      "退款什么时候到账",
      "衣服有线头,质量太差了",
      "少发了一件",
      "发票怎么开？",
      (p) => `${p}用了两天就坏了`,
    ]),
    answers: texts([
      "非常抱歉给您带来不便，麻烦亲拍一下照片发给我们哦",
      "亲，支持7天无理由退换，您在订单页面申请退货就可以哦",
      "亲，退款审核通过后1-3个工作日原路退回哦",
      "亲，已经帮您登记补发了，今天就会寄出",
      "亲，发票可以在订单详情里申请电子发票哦",
      "亲，实在抱歉，给您补偿5元无门槛券可以吗？",
      "亲，换货的话请寄回时备注订单号,收到后马上给您换",
    ]),
  },
];

/** A customer's first words checking someone is there; the question follows in the same run. */
export const OPENERS = texts([
  "在吗",
  "在吗？",
  "你好",
  "您好",
  "亲",
  "有人吗",
  "hello",
  "在不在",
  "你好，在吗",
]);

/** More customer lines within a run, before the agent answers. */
export const CUSTOMER_ASIDES = texts([
  "急用",
  "在吗？",
  "？",
  "人呢",
  "回一下",
  "快点好吗",
  "[图片]",
  "[商品链接]",
  "L码的",
  "黑色的",
  "就是这个",
  "麻烦快点,急着用",
  "我等了好久了",
  '就是页面上写着"包邮"的那个',
]);

/** A customer's next question in a later round of the same chat. */
export const CUSTOMER_FOLLOW_UPS = texts([
  "好的",
  "嗯嗯",
  "那行",
  "还有别的颜色吗",
  "那我先拍了",
  "能再便宜点吗",
  "多久能到",
]);

export const CUSTOMER_CLOSERS = texts([
  "好的谢谢",
  "好的",
  "OK",
  "嗯嗯",
  "明白了,谢谢",
  "那我再看看",
  "好的，我下单了",
  "谢谢亲",
]);

/** What an agent adds after the answer. */
export const AGENT_EXTRAS = texts([
  "还有其他可以帮您的吗？",
  "[商品链接]",
  "亲，现在下单还有赠品哦",
  "[表情]",
  "亲，记得领券哦",
]);

export const AGENT_CLOSERS = texts([
  "不客气，祝您购物愉快~",
  "亲，有问题随时联系我们哦",
  "感谢您的支持，期待再次光临~",
  "好的亲，收到货有任何问题随时找我们",
]);

/** Agent lines with a phrase the platforms forbid (docs/chatlog.md, script_compliance). */
export const FORBIDDEN_REPLIES = texts([
  "不知道，你自己看详情页吧",
  "这个我也不知道",
  "随便你，爱买不买",
  "我们家绝对正品，假一赔十",
  "绝对正品,放心拍就行",
]);

/** What the receiving agent says first after a transfer. */
export const TRANSFER_GREETINGS = texts([
  "您好，我是售后客服，请问有什么可以帮您？",
  "亲，我是专属客服，您的问题我来处理哦",
  "您好，已接到转接，请问具体是什么情况呢",
]);

/** What an agent says before handing the customer over. */
export const AGENT_HANDOVER_NOTICES = texts([
  "亲，这个问题我帮您转给售后同事处理哦",
  "亲，帮您转接专属客服，请稍等",
]);
export const AGENT_TRANSFER_NOTES = texts(["转交售后处理", "转接专属客服", "客户咨询物流,转物流组"]);
export const SYSTEM_TRANSFER_NOTES = texts(["系统转接：售前→售后", "客服繁忙,系统自动分流"]);
/** Notes of transfers the customer asked for (their transfer_reason is customer_request). */
export const REQUESTED_TRANSFER_NOTES = texts(["顾客要求转人工主管", "顾客要求转售后专员"]);

export const SYSTEM_ENTRIES = texts(["客户进入店铺", "客户从直播间进入", (p) => `客户正在浏览：${p}`]);
export const SYSTEM_CLOSES = texts(["会话结束", "客户长时间未回复，会话已自动关闭"]);
export const AGENT_CLOSES = texts(["结束会话"]);

/** Auto-replies (`from=auto`) greeting the customer on behalf of the shop `shop`. */
export function autoGreetings(shop: string): Text[] {
  return [
    text(`您好，欢迎光临${shop}！双11活动火热进行中，客服正在赶来，请稍等~`),
    text(`亲，欢迎来到${shop}，请问有什么可以帮您？`),
    text(`您好,我是${shop}智能助手,人工客服马上为您服务`),
  ];
}

export const NIGHT_AUTO_REPLIES = texts([
  "亲，现在是休息时间（客服在线时间09:00-23:00），请留言，上班后第一时间回复您~",
  "客服已下班,您的留言我们会在明早9点后尽快处理",
]);

/** A customer's message left at night (event=leave_message). */
export const LEAVE_MESSAGES = texts([
  "你好，请问这个什么时候能发货？",
  "我的订单怎么还没发货",
  "拍错了,能帮我取消吗",
  "在吗？看到回复一下",
  "能帮我改一下地址吗",
  "明天上班了联系我",
  (p) => `${p}还有货吗？看到回我`,
]);

export const MORNING_REPLIES = texts([
  "亲，早上好~看到您的留言了",
  "亲，让您久等了，小二上班啦",
  "亲，不好意思昨晚客服已下班，现在为您处理",
]);

export const REVIEW_TEXTS = {
  good: texts([
    "质量很好，物流很快，客服态度好",
    "宝贝收到了,和描述一样,好评!",
    "第二次回购了，一如既往的好",
    '东西不错，"双11"价格很划算',
    "",
  ]),
  neutral: texts(["一般般吧", "还行,就是物流有点慢", "和图片有点色差", ""]),
  bad: texts(["质量太差了，客服也不理人", "和描述严重不符,差评", "发错货了还不给处理\n联系客服也没用"]),
};
