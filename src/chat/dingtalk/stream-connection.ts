import type { DWClientDownStream } from "dingtalk-stream";
import type { Log } from "../../log.ts";
import { GatewayStreamClient } from "./stream-client.ts";

/**
 * One Stream connection kept open: a ticket from the gateway, the WebSocket, and after any
 * failure or close one retry at a time, waiting 1 s, 2 s, 4 s … up to a minute (reset once a
 * connection opens). stop() cancels the pending retry and closes the socket for good.
 */

export interface ReconnectPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_RECONNECT: ReconnectPolicy = { firstDelayMs: 1000, maxDelayMs: 60_000 };

export interface StreamSettings {
  clientId: string;
  clientSecret: string;
  gatewayUrl?: string;
}

/** A CALLBACK push on a topic; the listener acks it. */
export type CallbackListener = (downstream: DWClientDownStream, client: GatewayStreamClient) => void;

export class StreamConnection {
  readonly #client: GatewayStreamClient;
  #stopped = false;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;
  #state: true | string = "not started";

  constructor(
    settings: StreamSettings,
    listeners: Record<string, CallbackListener>,
    private readonly deps: { log: Log; policy: ReconnectPolicy },
  ) {
    this.#client = new GatewayStreamClient(settings, settings.gatewayUrl);
    // Before connecting: the topics go to the gateway in the ticket request.
    for (const [topic, listener] of Object.entries(listeners)) {
      this.#client.registerCallbackListener(topic, (downstream) => listener(downstream, this.#client));
    }
  }

  /** Makes the first attempt; when it fails, says so in health() and keeps retrying. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#attempt();
  }

  /** true while connected, else why not (for /healthz). */
  health(): true | string {
    return this.#state;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    const socket = this.#client.currentSocket();
    const open = socket && socket.readyState !== socket.CLOSED;
    const closed = open ? new Promise((resolve) => socket.once("close", resolve)) : undefined;
    this.#client.disconnect();
    await closed;
    this.#state = "stopped";
  }

  async #attempt(): Promise<void> {
    this.#retry = undefined;
    try {
      await this.#client.getEndpoint();
      if (this.#stopped) return;
      await this.#client._connect();
    } catch (error) {
      // The SDK's socket error handler already terminated the socket; no close listener of ours is on it.
      this.#failed(error instanceof Error ? error.message : String(error));
      return;
    }
    if (this.#stopped) {
      this.#client.disconnect();
      return;
    }
    this.#failures = 0;
    this.#state = true;
    this.deps.log.info({ platform: "dingtalk" }, "stream connected");
    this.#client.currentSocket()?.once("close", (code: number) => {
      if (!this.#stopped) this.#failed(`socket closed (${code})`);
    });
  }

  #failed(reason: string) {
    // A handshake cut short by stop() fails too; it is not news.
    if (this.#stopped) return;
    this.#state = `stream not connected: ${reason}`;
    const { firstDelayMs, maxDelayMs } = this.deps.policy;
    const delayMs = Math.min(maxDelayMs, firstDelayMs * 2 ** this.#failures);
    this.#failures++;
    this.deps.log.warn({ platform: "dingtalk", reason, retryInMs: delayMs }, "stream connection lost");
    this.#retry = setTimeout(() => void this.#attempt(), delayMs);
  }
}
