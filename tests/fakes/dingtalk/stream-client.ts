import { DWClient, GATEWAY_URL } from "dingtalk-stream";

type DWClientOptions = ConstructorParameters<typeof DWClient>[0];

/**
 * The real DWClient of dingtalk-stream 2.1.5, with the gateway it opens connections at made configurable.
 * The SDK POSTs to the constant GATEWAY_URL inside getEndpoint() and has no option for it, so this
 * overrides getEndpoint() alone: same request, same checks, then the same `dw_url` the SDK's _connect()
 * dials. Everything after that — WebSocket, acks, pings, reconnects — is the SDK's own code.
 */
export class DWClientWithGateway extends DWClient {
  readonly gatewayUrl: string;

  constructor(options: DWClientOptions & { gatewayUrl?: string; autoReconnect?: boolean }) {
    const { gatewayUrl = GATEWAY_URL, autoReconnect, ...sdkOptions } = options;
    super(sdkOptions);
    this.gatewayUrl = gatewayUrl;
    // The constructor's type omits autoReconnect although the SDK reads it from config.
    if (autoReconnect !== undefined) this.config.autoReconnect = autoReconnect;
  }

  override async getEndpoint(): Promise<this> {
    const { clientId, clientSecret, ua, subscriptions } = this.config;
    const response = await fetch(this.gatewayUrl, {
      method: "POST",
      // Without Accept: application/json the real gateway answers in XML.
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ clientId, clientSecret, ua, subscriptions }),
    });
    if (!response.ok) throw new Error(`gateway ${response.status}: ${await response.text()}`);
    const { endpoint, ticket } = (await response.json()) as { endpoint?: string; ticket?: string };
    if (!endpoint || !ticket) throw new Error("endpoint or ticket is null");
    // `dw_url` is private in the SDK's typings but a plain field at run time; _connect() reads it.
    Reflect.set(this, "dw_url", `${endpoint}?ticket=${ticket}`);
    return this;
  }
}
