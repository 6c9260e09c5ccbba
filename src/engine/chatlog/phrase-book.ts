import { InvalidInput } from "../errors.ts";
import {
  DEFAULT_PHRASE_LINES,
  DOCUMENT_PHRASE_RULES,
  type PhraseRule,
  SUGGESTED_PHRASE_RULES,
} from "./phrase-rules.ts";

/**
 * The forbidden-phrase rules in force, read from the lines of a phrase file (`kpi metrics
 * --phrases`, options.forbiddenPhrases; docs/chatlog.md, "Forbidden phrases"):
 *
 *   # a comment
 *   @documents                      the documents' phrases (the default when no file is given)
 *   @suggested                      the suggested phrases no document names
 *   亲，这个真没有                   a shop's own phrase; the shared contexts apply
 *   不好 | whole-word               … counted only as whole words (不好意思 is not 不好)
 *   查不到 | not-in 网上查不到 | agent-subject
 *   [旗舰店]                         what follows applies to that shop only, on top of the above
 *
 * A file without @documents replaces the documents' phrases, as plain phrase lists always did.
 */
export class PhraseBook {
  readonly rules: PhraseRule[] = [];
  private readonly everyShop: number[] = [];
  private readonly byShop = new Map<string, number[]>();
  private readonly masks = new Map<string, Uint8Array>();

  constructor(lines: readonly string[] = DEFAULT_PHRASE_LINES) {
    const builtIn = new Map<PhraseRule, number>();
    let section = this.everyShop;
    const take = (rule: PhraseRule) => {
      let index = builtIn.get(rule);
      if (index === undefined) {
        index = this.rules.push(rule) - 1;
        if (rule.origin !== "shop") builtIn.set(rule, index);
      }
      if (!section.includes(index)) section.push(index);
    };
    for (const raw of lines) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      if (line === "@documents") DOCUMENT_PHRASE_RULES.forEach(take);
      else if (line === "@suggested") SUGGESTED_PHRASE_RULES.forEach(take);
      else if (line.startsWith("@"))
        throw new InvalidInput("phrases", `"${line}" is not @documents or @suggested`);
      else if (line.startsWith("[") && line.endsWith("]")) {
        const shop = line.slice(1, -1).trim();
        if (shop === "") throw new InvalidInput("phrases", `"${line}" names no shop`);
        section = this.byShop.get(shop) ?? [];
        this.byShop.set(shop, section);
      } else take(shopRule(line));
    }
  }

  /** Which rules apply to a shop: a mask over `rules`. */
  enabledFor(shop: string): Uint8Array {
    let mask = this.masks.get(shop);
    if (!mask) {
      mask = new Uint8Array(this.rules.length);
      for (const i of this.everyShop) mask[i] = 1;
      for (const i of this.byShop.get(shop) ?? []) mask[i] = 1;
      this.masks.set(shop, mask);
    }
    return mask;
  }

  /** Whether any rule asks for whole words (and so for a word segmenter). */
  get needsWords(): boolean {
    return this.rules.some((r) => r.wholeWord);
  }
}

/** A shop's own rule: `phrase | option | option`. */
function shopRule(line: string): PhraseRule {
  const [phrase, ...options] = line.split("|").map((part) => part.trim());
  if (!phrase) throw new InvalidInput("phrases", `"${line}" has no phrase before its options`);
  const rule: PhraseRule & { notIn?: string[] } = { phrase, origin: "shop" };
  for (const option of options) {
    if (option === "whole-word") rule.wholeWord = true;
    else if (option === "agent-subject") rule.agentSubjectOnly = true;
    else if (option.startsWith("not-in ")) {
      const wordings = option
        .slice("not-in ".length)
        .split(/[,，、]/)
        .map((w) => w.trim())
        .filter(Boolean);
      for (const wording of wordings) {
        if (!wording.replace(/^\^/, "").includes(phrase))
          throw new InvalidInput("phrases", `"${line}": not-in "${wording}" does not contain "${phrase}"`);
      }
      rule.notIn = [...(rule.notIn ?? []), ...wordings];
    } else
      throw new InvalidInput(
        "phrases",
        `"${line}": "${option}" is not an option (whole-word, agent-subject, not-in …)`,
      );
  }
  return rule;
}
