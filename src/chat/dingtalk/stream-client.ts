import { DWClient, type DWClientDownStream, GATEWAY_URL } from "dingtalk-stream";
import type { WebSocket } from "ws";

/**
 * dingtalk-stream 2.1.5's DWClient with its own reconnecting switched off and the pieces of
 * connect() exposed, because in 2.1.5:
 * - connect() catches every failure and resolves anyway, so nobody learns it is not connected;
 * - each failure schedules a retry from both the socket's error and close paths, so refused
 *   handshakes double the retries (1, 2, 4, 8 … a second), and disconnect() cannot stop a retry
 *   already scheduled, because _connect() clears the flag disconnect() sets;
 * - getEndpoint() POSTs to the constant GATEWAY_URL (no option), with axios and no timeout;
 * - the default subscriptions array is shared by every client in the process and
 *   registerCallbackListener pushes into it;
 * - keepAlive starts a heartbeat interval per connection that only disconnect() clears.
 * StreamConnection (stream-connection.ts) does the reconnecting instead.
 */

const GATEWAY_TIMEOUT_MS = 10_000;

export class GatewayStreamClient extends DWClient {
  constructor(
    options: { clientId: string; clientSecret: string },
    private readonly gatewayUrl = GATEWAY_URL,
  ) {
    super({ clientId: options.clientId, clientSecret: options.clientSecret, ua: "kpi-bot" });
    this.config.subscriptions = [];
    this.config.autoReconnect = false;
    this.config.keepAlive = false;
    // The SDK hands these to new WebSocket(); without a handshake timeout a silent gateway hangs _connect() for ever.
    Reflect.set(this, "sslopts", { rejectUnauthorized: true, handshakeTimeout: GATEWAY_TIMEOUT_MS });
  }

  override async getEndpoint(): Promise<this> {
    const { clientId, clientSecret, ua, subscriptions } = this.config;
    const response = await fetch(this.gatewayUrl, {
      method: "POST",
      // Without Accept: application/json the real gateway answers in XML.
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ clientId, clientSecret, ua, subscriptions }),
      signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
    });
    const answer = (await response.json().catch(() => ({}))) as {
      endpoint?: string;
      ticket?: string;
      code?: string;
    };
    if (!response.ok) throw new Error(`gateway answered HTTP ${response.status} ${answer.code ?? ""}`.trim());
    if (!answer.endpoint || !answer.ticket) throw new Error("gateway answered without endpoint or ticket");
    // Private in the typings, a plain field at run time: _connect() dials it.
    Reflect.set(this, "dw_url", `${answer.endpoint}?ticket=${encodeURIComponent(answer.ticket)}`);
    return this;
  }

  /** The open socket, to hear it close (the SDK keeps it private). */
  currentSocket(): WebSocket | undefined {
    return Reflect.get(this, "socket") as unknown as WebSocket | undefined;
  }

  /** Acks a CALLBACK push; 2.1.5 never does, and DingTalk pushes it again after ~60 s. */
  ack(downstream: DWClientDownStream): void {
    this.socketCallBackResponse(downstream.headers.messageId, {});
  }
}
