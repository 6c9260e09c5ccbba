import type { BotMetrics } from "../../server/metrics.ts";
import { ChatSendError } from "../adapter.ts";
import {
  counted,
  type HttpAnswer,
  oapiFailure,
  openApiFailure,
  postForm,
  postJson,
  tokenRefused,
} from "./http-call.ts";
import { type OpenApiMessage, templateOf } from "./robot-payloads.ts";

/**
 * The enterprise robot's side of DingTalk's OpenAPI: an app access token kept until shortly
 * before it runs out (7,200 s), sent as x-acs-dingtalk-access-token; a token DingTalk refuses
 * anyway (rotated, or the clock drifted) is fetched anew once and the call repeated once. The
 * same token opens the old oapi endpoints (media/upload), where it goes in the query.
 */

export interface OpenApiSettings {
  apiUrl: string;
  /** The old API's base (https://oapi.dingtalk.com), for media uploads. */
  oapiUrl: string;
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
  async sendToUsers(userIds: string[], message: OpenApiMessage): Promise<string> {
    const body = { robotCode: this.settings.robotCode, userIds, ...templateOf(message) };
    const answer = await this.#openApi("/v1.0/robot/oToMessages/batchSend", body);
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
  async sendToGroup(openConversationId: string, message: OpenApiMessage): Promise<string> {
    const body = { robotCode: this.settings.robotCode, openConversationId, ...templateOf(message) };
    const answer = (await this.#openApi("/v1.0/robot/groupMessages/send", body)) as {
      processQueryKey?: string;
    };
    return answer?.processQueryKey ?? "";
  }

  /** Uploads a PNG with oapi's media/upload; its media_id is what a sampleImageMsg shows. */
  async uploadImage(png: Uint8Array): Promise<string> {
    const url = (token: string) =>
      `${this.settings.oapiUrl.replace(/\/+$/, "")}/media/upload?access_token=${encodeURIComponent(token)}&type=image`;
    const answer = await this.#call(
      (token) => {
        const form = new FormData();
        form.append("media", new Blob([png], { type: "image/png" }), "chart.png");
        return postForm(url(token), form, { nowMs: this.deps.now().getTime() });
      },
      (answer) => oapiFailure("media/upload", answer),
    );
    const mediaId = (answer as { media_id?: unknown } | undefined)?.media_id;
    if (typeof mediaId !== "string" || mediaId === "") {
      throw new ChatSendError("dingtalk", "media/upload: no media_id in the answer", false);
    }
    return mediaId;
  }

  #openApi(path: string, body: unknown): Promise<unknown> {
    return this.#call(
      (token) => this.#post(path, body, token),
      (answer) => openApiFailure(path, answer),
    );
  }

  async #call(
    send: (token: string) => Promise<HttpAnswer>,
    failureOf: (answer: HttpAnswer) => ChatSendError | undefined,
    mayRefresh = true,
  ): Promise<unknown> {
    const token = await this.#accessToken();
    let answer: HttpAnswer;
    try {
      answer = await send(token);
    } catch (error) {
      this.#count("retryable");
      throw error;
    }
    if (!mayRefresh || !tokenRefused(answer)) return this.#judged(answer, failureOf);
    this.#count("retryable");
    this.#token = undefined;
    return this.#call(send, failureOf, false);
  }

  #count(result: "retryable") {
    this.deps.metrics.outbound.inc({ platform: "dingtalk", result });
  }

  #post(path: string, body: unknown, token: string): Promise<HttpAnswer> {
    const headers = { "x-acs-dingtalk-access-token": token };
    return postJson(`${this.#base()}${path}`, body, { headers, nowMs: this.deps.now().getTime() });
  }

  /** Counts the call and turns a failed answer into a ChatSendError. */
  #judged(
    answer: HttpAnswer,
    failureOf: (answer: HttpAnswer) => ChatSendError | undefined,
  ): Promise<unknown> {
    return counted(this.deps.metrics, async () => {
      const failure = failureOf(answer);
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
