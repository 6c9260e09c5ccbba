import type { BotMetrics } from "../../server/metrics.ts";
import { ChatSendError } from "../adapter.ts";
import { counted, type HttpAnswer, openApiFailure, postJson, tokenRefused } from "./http-call.ts";
import type { DingTalkMarkdown } from "./markdown.ts";
import { messageTemplate } from "./robot-payloads.ts";

/**
 * The enterprise robot's side of DingTalk's OpenAPI: an app access token kept until shortly
 * before it runs out (7,200 s), sent as x-acs-dingtalk-access-token; a token DingTalk refuses
 * anyway (rotated, or the clock drifted) is fetched anew once and the call repeated once.
 */

export interface OpenApiSettings {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  robotCode: string;
}

/** Fetch a new token this long before DingTalk says the old one expires. */
const TOKEN_EARLY_MS = 5 * 60_000;

interface Token {
  value: string;
  renewAtMs: number;
}

export class DingTalkOpenApi {
  #token: Token | undefined;
  #pending: Promise<Token> | undefined;

  constructor(
    private readonly settings: OpenApiSettings,
    private readonly deps: { metrics: BotMetrics; now: () => Date },
  ) {}

  /** A 1:1 message from the robot to each staff id (at most 20 a call). */
  async sendToUsers(userIds: string[], message: DingTalkMarkdown): Promise<string> {
    const body = { robotCode: this.settings.robotCode, userIds, ...messageTemplate(message) };
    const answer = await this.#call("/v1.0/robot/oToMessages/batchSend", body);
    const {
      invalidStaffIdList = [],
      flowControlledStaffIdList = [],
      processQueryKey,
    } = (answer ?? {}) as {
      invalidStaffIdList?: string[];
      flowControlledStaffIdList?: string[];
      processQueryKey?: string;
    };
    // HTTP 200 does not mean delivered: DingTalk lists who it refused or throttled.
    if (invalidStaffIdList.length > 0) {
      throw new ChatSendError(
        "dingtalk",
        `batchSend: ${invalidStaffIdList.length} unknown staff id(s)`,
        false,
      );
    }
    if (flowControlledStaffIdList.length > 0) {
      throw new ChatSendError("dingtalk", "batchSend: recipient flow-controlled", true, 60_000);
    }
    return processQueryKey ?? "";
  }

  /** A message from the robot into a group it is in, by the group's openConversationId. */
  async sendToGroup(openConversationId: string, message: DingTalkMarkdown): Promise<string> {
    const body = { robotCode: this.settings.robotCode, openConversationId, ...messageTemplate(message) };
    const answer = (await this.#call("/v1.0/robot/groupMessages/send", body)) as { processQueryKey?: string };
    return answer?.processQueryKey ?? "";
  }

  async #call(path: string, body: unknown, mayRefresh = true): Promise<unknown> {
    const token = await this.#accessToken();
    let answer: HttpAnswer;
    try {
      answer = await this.#post(path, body, token);
    } catch (error) {
      this.#count("retryable");
      throw error;
    }
    if (!mayRefresh || !tokenRefused(answer)) return this.#judged(path, answer);
    this.#count("retryable");
    this.#token = undefined;
    return this.#call(path, body, false);
  }

  #count(result: "retryable") {
    this.deps.metrics.outbound.inc({ platform: "dingtalk", result });
  }

  #post(path: string, body: unknown, token: string): Promise<HttpAnswer> {
    const headers = { "x-acs-dingtalk-access-token": token };
    return postJson(`${this.#base()}${path}`, body, { headers, nowMs: this.deps.now().getTime() });
  }

  /** Counts the call and turns a failed answer into a ChatSendError. */
  #judged(path: string, answer: HttpAnswer): Promise<unknown> {
    return counted(this.deps.metrics, async () => {
      const failure = openApiFailure(path, answer);
      if (failure) throw failure;
      return answer.body;
    });
  }

  async #accessToken(): Promise<string> {
    const nowMs = this.deps.now().getTime();
    if (this.#token && nowMs < this.#token.renewAtMs) return this.#token.value;
    // One request for every caller waiting on a token.
    this.#pending ??= this.#fetchToken().finally(() => {
      this.#pending = undefined;
    });
    this.#token = await this.#pending;
    return this.#token.value;
  }

  async #fetchToken(): Promise<Token> {
    const { clientId, clientSecret } = this.settings;
    const nowMs = this.deps.now().getTime();
    return counted(this.deps.metrics, async () => {
      const body = { appKey: clientId, appSecret: clientSecret };
      const answer = await postJson(`${this.#base()}/v1.0/oauth2/accessToken`, body, { nowMs });
      const failure = openApiFailure("accessToken", answer);
      if (failure) throw failure;
      const { accessToken, expireIn } = (answer.body ?? {}) as { accessToken?: string; expireIn?: number };
      if (!accessToken) throw new ChatSendError("dingtalk", "accessToken: no token in the answer", true);
      const lifeMs = (expireIn ?? 7200) * 1000;
      return { value: accessToken, renewAtMs: nowMs + Math.max(lifeMs - TOKEN_EARLY_MS, lifeMs / 2) };
    });
  }

  #base(): string {
    return this.settings.apiUrl.replace(/\/+$/, "");
  }
}
