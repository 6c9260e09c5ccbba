/**
 * What customers and agents say in the generated conversations (apparel shop, Taobao style).
 * Answers end in punctuation as agents' quick phrases (快捷短语) do; the split-answer style cuts
 * them where a typist would.
 */

export const QUESTIONS = [
  "这件有现货吗",
  "M码还有吗",
  "什么时候发货",
  "能便宜点吗",
  "这个颜色会不会掉色",
  "我身高165体重110穿什么码",
  "可以开发票吗",
  "面料是纯棉的吗",
  "有优惠券吗",
  "包邮吗",
  "洗了会缩水吗",
  "和图片一样吗",
] as const;

export const FOLLOW_UPS = [
  "那L码呢",
  "好的那我再看看",
  "大概几天能到",
  "可以换颜色吗",
  "发什么快递",
  "偏大还是偏小",
] as const;

export const COMPLAINTS = [
  "怎么还没发货，太慢了",
  "收到的衣服破损了",
  "客服态度什么态度",
  "我要退货，质量太差了",
  "等了好久都没人管",
] as const;

export const ANSWERS = [
  "亲，这款目前有现货的，今天下单明天就能发出哦～",
  "M码还有少量库存，建议您尽快下单呢。",
  "我们是48小时内发货的，一般两到三天就能收到哦！",
  "亲，价格已经是活动价了，领券后下单更划算的。",
  "这款面料经过固色处理，正常洗涤不会掉色的哦～",
  "根据您的身高体重，建议您选择M码，穿着会比较合身。",
  "可以开电子发票的，下单时备注抬头就可以啦。",
  "面料是95%棉加5%氨纶，透气又有弹性的。",
  "店铺首页有满199减20的优惠券，您可以先领取哦！",
  "全国包邮的，偏远地区除外哦。",
  "建议冷水手洗，正常洗涤基本不会缩水的。",
  "都是实物拍摄的，颜色会因为屏幕有轻微差异哦。",
  "L码也有的，您放心拍就可以。",
  "默认发中通快递，也可以补差价发顺丰哦。",
  "这款是标准码，按平时尺码选就可以的。",
] as const;

export const APOLOGIES = [
  "非常抱歉给您带来不便，我马上帮您核实处理。",
  "亲，实在抱歉，我这边立刻帮您登记补发。",
  "抱歉让您久等了，已经帮您催促仓库加急发出。",
] as const;

export const POSITIVE_ENDINGS = [
  "好的，谢谢",
  "谢谢亲",
  "好的👍",
  "已拍下了",
  "好的我下单了",
  "满意，谢谢",
] as const;
export const NEGATIVE_ENDINGS = ["还是不满意", "太慢了，我要投诉", "算了，退款吧", "真失望"] as const;
export const NEUTRAL_ENDINGS = ["嗯", "我再考虑一下", "知道了"] as const;

export const CLOSINGS = [
  "不客气，祝您生活愉快！",
  "感谢您的支持，有问题随时找我哦～",
  "好的亲，欢迎下次光临！",
] as const;

/** A customer who says they will leave a good review: the agent's thanks is not guidance. */
export const CUSTOMER_PRAISE = ["衣服很好看，给你们好评", "会给好评的"] as const;
export const THANKS_FOR_PRAISE = ["感谢您的好评，我们会继续努力的！", "谢谢亲的好评～"] as const;

/** Honest openers an agent sends just before the answer, without punctuation: 亲 / 稍等. */
export const HONEST_OPENERS = ["亲", "稍等", "在的亲", "好的亲"] as const;

/** Honest follow-ups to a silent customer (催付), at most two. */
export const PINGS = [
  "亲，还在吗？",
  "亲，还有什么可以帮您的吗？",
  "亲，库存不多了，需要帮您留一件吗？",
] as const;

/** Guidance to a good review (引导好评), the thing the detector looks for. */
export const GUIDANCE_LINES = [
  "亲，收到满意的话给个五星好评哦～",
  "好评返现5元，记得晒图哦！",
  "亲给个五分好评呗，谢谢啦！",
  "满意请给五星，好评送小礼品哦～",
  "麻烦给个好评，对我很重要的！",
] as const;

export const TRANSFER_NOTES = ["这个问题我帮您转接售后同事处理哦。", "稍等，帮您转给专业的同事。"] as const;
