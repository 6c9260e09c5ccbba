import { InvalidInput } from "../errors.ts";
import { DEFAULT_TIME_ZONE, localTimeIn } from "../period.ts";
import { PhraseBook } from "./phrase-book.ts";
import type { WordSegmenter } from "./phrase-judge.ts";
import { minuteWindow, PROFILES, type RuleProfile } from "./profiles.ts";
import { MAX_PHRASES } from "./session-store.ts";
import type { WalkRules } from "./session-walk.ts";

export interface ChatlogOptions {
  /** Shop-local time zone (default Asia/Shanghai), and per shop. */
  timeZone?: string;
  shopTimeZones?: Readonly<Record<string, string>>;
  /** Rule profile (generic, jd, taobao, pdd), and per shop. */
  profile?: string;
  shopProfiles?: Readonly<Record<string, string>>;
  /** Attribution window W in days (default 2). */
  windowDays?: number;
  /**
   * Forbidden-phrase rules as the lines of a phrase file (phrase-book.ts): "@documents",
   * "@suggested", a shop's own phrases and options, "[shop]" sections. Default: ["@documents"].
   */
  forbiddenPhrases?: readonly string[];
  /** Word cuts for rules that count whole words only (`kpi metrics` passes jieba's). */
  wordSegmenter?: WordSegmenter;
  /** A session is complete once none of its lines has come for this many lines (default 1,000,000). */
  sessionGap?: number;
  countAutoReplies?: boolean;
  /**
   * Which families of figures to compute (default all). Each costs memory that grows with the
   * file: resolution and feedback keep a row per consultation, sales and feedback every
   * consultation by customer, concurrency every segment's open interval. Response figures alone
   * keep only what open sessions hold.
   */
  only?: readonly MetricFamily[];
}

export const METRIC_FAMILIES = ["response", "resolution", "concurrency", "sales", "feedback"] as const;
export type MetricFamily = (typeof METRIC_FAMILIES)[number];

/** What a run keeps, from the families asked for and the profiles in use. */
export interface Keeps {
  response: boolean;
  resolution: boolean;
  concurrency: boolean;
  sales: boolean;
  feedback: boolean;
  /** A row per consultation: resolution, ratings, and JD's re-consultation rule. */
  table: boolean;
  /** Every consultation by customer: conversion, sales and reviews. */
  consultations: boolean;
  /** Customers by key: resolution, conversion, reviews, Pinduoduo's once-a-day rule. */
  customerKeys: boolean;
}

export function keepsOf(options: ChatlogOptions): Keeps {
  const only = new Set<MetricFamily>(options.only ?? METRIC_FAMILIES);
  const profiles = [options.profile ?? "generic", ...Object.values(options.shopProfiles ?? {})];
  const merging = profiles.some((p) => PROFILES[p]?.reconsultMergeMinutes !== undefined);
  const perCustomer = profiles.some((p) => PROFILES[p]?.effectiveReply !== undefined);
  const has = (f: MetricFamily) => only.has(f);
  return {
    response: has("response"),
    resolution: has("resolution"),
    concurrency: has("concurrency"),
    sales: has("sales"),
    feedback: has("feedback"),
    table: has("resolution") || has("feedback") || merging,
    consultations: has("sales") || has("feedback"),
    customerKeys: has("resolution") || has("sales") || has("feedback") || perCustomer,
  };
}

/** How a shop is measured: its rule profile, read into numbers, and its clock. */
export interface ShopRules {
  profile: RuleProfile;
  /** Which of the phrase book's rules apply in the shop. */
  phraseRules: Uint8Array;
  walk: WalkRules;
  local: (ms: number) => number;
}

export const DEFAULT_SESSION_GAP = 1_000_000;

/** Throws InvalidInput for an unknown profile or time zone, or a bad window. */
export function checkOptions(options: ChatlogOptions): void {
  for (const name of [options.profile ?? "generic", ...Object.values(options.shopProfiles ?? {})]) {
    if (!PROFILES[name])
      throw new InvalidInput(
        "profile",
        `"${name}" is not a rule profile (${Object.keys(PROFILES).join(", ")})`,
      );
  }
  for (const tz of [options.timeZone ?? DEFAULT_TIME_ZONE, ...Object.values(options.shopTimeZones ?? {})]) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
    } catch {
      throw new InvalidInput("timeZone", `"${tz}" is not a time zone (e.g. Asia/Shanghai)`);
    }
  }
  for (const family of options.only ?? []) {
    if (!(METRIC_FAMILIES as readonly string[]).includes(family)) {
      throw new InvalidInput("only", `"${family}" is not one of ${METRIC_FAMILIES.join(", ")}`);
    }
  }
  const phrases = new PhraseBook(options.forbiddenPhrases);
  if (phrases.rules.length > MAX_PHRASES) {
    throw new InvalidInput(
      "phrases",
      `at most ${MAX_PHRASES} forbidden phrases, not ${phrases.rules.length}`,
    );
  }
  if (phrases.needsWords && !options.wordSegmenter) {
    throw new InvalidInput(
      "phrases",
      "a whole-word rule needs a word segmenter (kpi metrics has one; else pass options.wordSegmenter)",
    );
  }
  const window = options.windowDays ?? 2;
  if (!Number.isInteger(window) || window < 1) {
    throw new InvalidInput(
      "window",
      `the attribution window is a whole number of days, at least 1, not ${options.windowDays}`,
    );
  }
}

/** Each shop's rules, worked out once per shop name. */
export class RuleBook {
  private readonly byName = new Map<string, ShopRules>();
  readonly phrases: PhraseBook;

  constructor(private readonly options: ChatlogOptions) {
    this.phrases = new PhraseBook(options.forbiddenPhrases);
  }

  forShop(name: string): ShopRules {
    let rules = this.byName.get(name);
    if (!rules) {
      rules = this.build(name);
      this.byName.set(name, rules);
    }
    return rules;
  }

  /** The clock of the default time zone. */
  defaultLocal(): (ms: number) => number {
    return localTimeIn(this.options.timeZone ?? DEFAULT_TIME_ZONE);
  }

  private build(name: string): ShopRules {
    const o = this.options;
    const profile = PROFILES[o.shopProfiles?.[name] ?? o.profile ?? "generic"]!;
    const exclusion = (metric: string) => {
      const w = profile.sessionExclusions.find((x) => x.metrics.includes(metric));
      return w ? minuteWindow(w) : null;
    };
    const round = profile.roundResponse;
    const effective = profile.effectiveReply;
    return {
      profile,
      phraseRules: this.phrases.enabledFor(name),
      local: localTimeIn(o.shopTimeZones?.[name] ?? o.timeZone ?? DEFAULT_TIME_ZONE),
      walk: {
        countAutoReplies: o.countAutoReplies ?? profile.countAutoReplies,
        longWaitMs: profile.longWaitSeconds * 1000,
        round: round ? { window: minuteWindow(round), withinMs: round.withinSeconds * 1000 } : null,
        effective: effective
          ? { window: minuteWindow(effective), maxWaitMs: effective.maxWaitSeconds * 1000 }
          : null,
        exclude30s: exclusion("response_30s_rate"),
        excludeArt: exclusion("avg_response_time"),
      },
    };
  }
}
