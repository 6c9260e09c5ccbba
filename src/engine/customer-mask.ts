/**
 * Customer data masked before a conversation is stored or shown (质检 cards, `kpi qa`): a
 * reviewer judges how the agent answered, never who the customer is. The rules are a table, in
 * the order they run; each keeps just enough to follow the conversation (the last digits of an
 * order, the district of an address). docs/qa.md lists them with examples.
 */

export interface MaskRule {
  id: string;
  /** What it hides, for the docs. */
  what: string;
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const stars = (n: number) => "*".repeat(Math.max(1, n));

export const MASK_RULES: readonly MaskRule[] = [
  {
    id: "mobile",
    what: "mainland mobile numbers (1[3-9] + 9 digits): first 3 and last 4 kept",
    pattern: /(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g,
    replace: (_m, a, _b, c) => `${a}****${c}`,
  },
  {
    id: "landline",
    what: "landlines (0xx-xxxxxxxx): area code kept",
    pattern: /(?<!\d)(0\d{2,3})-(\d{7,8})(?!\d)/g,
    replace: (_m, area, rest) => `${area}-${stars(rest.length)}`,
  },
  {
    id: "id-card",
    what: "ID card numbers (18 characters): first 6 kept",
    pattern: /(?<![\dA-Za-z])(\d{6})\d{11}[\dXx](?![\dA-Za-z])/g,
    replace: (_m, head) => `${head}************`,
  },
  {
    id: "order",
    what: "order numbers (12 or more digits): last 4 kept, so agent and reviewer can still name the order",
    pattern: /(?<!\d)\d{8,}(\d{4})(?!\d)/g,
    replace: (_m, tail) => `****${tail}`,
  },
  {
    id: "named",
    what: "the name after 收件人/收货人/姓名/联系人: first character kept",
    pattern: /(收件人|收货人|姓名|联系人)([:：\s]*)([\u4e00-\u9fa5]{1,4}|[A-Za-z]+)/g,
    replace: (_m, label, sep, name) => `${label}${sep}${name.slice(0, 1)}${stars(name.length - 1)}`,
  },
  {
    id: "address",
    what: "street addresses: up to the district (区/县/市) kept, the rest (road, number, room) hidden",
    pattern:
      /((?:[\u4e00-\u9fa5]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fa5]{2,7}?市)?[\u4e00-\u9fa5]{1,7}?(?:区|县))[\u4e00-\u9fa5\dA-Za-z\-#号]*?(?:路|街|道|巷|弄|村|镇|小区|大厦)[\u4e00-\u9fa5\dA-Za-z\-#号室栋单元楼]*/g,
    replace: (_m, district) => `${district}****`,
  },
  {
    id: "email",
    what: "e-mail addresses: the first character and the domain kept",
    pattern: /([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g,
    replace: (_m, first, domain) => `${first}***@${domain}`,
  },
];

/** The text with every rule of MASK_RULES applied, in order. */
export function maskText(text: string): string {
  let out = text;
  for (const rule of MASK_RULES)
    out = out.replace(rule.pattern, (...args) => rule.replace(...(args as [string, ...string[]])));
  return out;
}

/** A customer's handle: the first character and the last kept (tb_zhang88 → t********8). */
export function maskCustomer(customer: string): string {
  const chars = [...customer];
  if (chars.length <= 2) return `${chars[0] ?? ""}*`;
  return `${chars[0]}${stars(chars.length - 2)}${chars.at(-1)}`;
}
