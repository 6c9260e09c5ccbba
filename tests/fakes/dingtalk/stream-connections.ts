import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, type WebSocketServer } from "ws";
import { callbackFrame, type DownstreamFrame, type UpstreamFrame } from "./frames.ts";

/** A ticket is good for 90 s and for one connection (DingTalk's Stream protocol). */
const TICKET_TTL_MS = 90_000;
const WAIT_MS = 5_000;

interface Subscription {
  type: string;
  topic: string;
}
interface Ticket {
  clientId: string;
  subscriptions: Subscription[];
  issuedAt: number;
}
interface Connection {
  ws: WebSocket;
  connectionId: string;
  clientId: string;
  subscriptions: Subscription[];
}
interface Push {
  frame: DownstreamFrame;
  topic: string;
  deliveries: number;
  acked: boolean;
  timer?: NodeJS.Timeout;
}
export interface ConnectionSettings {
  clock: () => number;
  redeliverAfterMs: number;
  maxDeliveries: number;
}

/** The WebSocket side of the fake Stream gateway: tickets, sockets, pushes, acks and redeliveries. */
export class TicketedConnections {
  readonly acks: UpstreamFrame[] = [];
  readonly #tickets = new Map<string, Ticket>();
  readonly #connections: Connection[] = [];
  readonly #pushes = new Map<string, Push>();
  readonly #answers: UpstreamFrame[] = [];
  readonly #appIds = new Map<string, string>();
  #onChange: (() => void)[] = [];
  #refusing = false;

  constructor(
    private readonly wss: WebSocketServer,
    private readonly settings: ConnectionSettings,
  ) {}

  issueTicket(clientId: string, subscriptions: Subscription[]): string {
    const ticket = randomUUID();
    this.#tickets.set(ticket, { clientId, subscriptions, issuedAt: this.settings.clock() });
    return ticket;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(req.url ?? "/", "ws://fake");
    const ticket = this.#tickets.get(url.searchParams.get("ticket") ?? "");
    this.#tickets.delete(url.searchParams.get("ticket") ?? "");
    const fresh = ticket && this.settings.clock() - ticket.issuedAt <= TICKET_TTL_MS;
    if (url.pathname !== "/connect" || !fresh || this.#refusing) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, ticket));
  }

  open(): WebSocket[] {
    return this.#connections.filter((c) => c.ws.readyState === WebSocket.OPEN).map((c) => c.ws);
  }

  waitForConnection(): Promise<void> {
    return this.#until("a connection", () => (this.open().length > 0 ? true : undefined)).then(() => {});
  }

  push(topic: string, data: object): string {
    const connection = this.#subscriberOf(topic);
    if (!connection) throw new Error(`no open Stream connection subscribes to ${topic}`);
    const appId = this.#appIdOf(connection.clientId);
    const { connectionId } = connection;
    const frame = callbackFrame(topic, data, { appId, connectionId, nowMs: this.settings.clock() });
    const push: Push = { frame, topic, deliveries: 1, acked: false };
    const messageId = frame.headers.messageId!;
    this.#pushes.set(messageId, push);
    connection.ws.send(JSON.stringify(frame));
    this.#scheduleRedelivery(push);
    return messageId;
  }

  deliveries(messageId: string): number {
    return this.#pushes.get(messageId)?.deliveries ?? 0;
  }

  waitForAck(messageId: string): Promise<UpstreamFrame> {
    return this.#until(`the ack of ${messageId}`, () =>
      this.acks.find((a) => a.headers.messageId === messageId),
    );
  }

  ping(frame: DownstreamFrame): Promise<{ sent: DownstreamFrame; answer: UpstreamFrame }> {
    const ws = this.open().at(-1);
    if (!ws) return Promise.reject(new Error("no open Stream connection to ping"));
    ws.send(JSON.stringify(frame));
    const id = frame.headers.messageId;
    return this.#until("the ping's answer", () => this.#answers.find((a) => a.headers.messageId === id)).then(
      (answer) => ({ sent: frame, answer }),
    );
  }

  refuseTickets(on: boolean) {
    this.#refusing = on;
  }

  stop() {
    for (const push of this.#pushes.values()) clearTimeout(push.timer);
    for (const connection of this.#connections) connection.ws.terminate();
  }

  #accept(ws: WebSocket, ticket: Ticket) {
    const connection = { ws, connectionId: randomUUID(), ...ticket };
    this.#connections.push(connection);
    ws.on("message", (raw) => this.#receive(String(raw)));
    ws.on("close", () => this.#connections.splice(this.#connections.indexOf(connection), 1));
    this.#changed();
  }

  #receive(raw: string) {
    const frame = JSON.parse(raw) as UpstreamFrame;
    const messageId = String(frame.headers?.messageId ?? "");
    const push = this.#pushes.get(messageId);
    if (push) {
      push.acked = true;
      clearTimeout(push.timer);
      this.acks.push(frame);
    } else {
      this.#answers.push(frame);
    }
    this.#changed();
  }

  #scheduleRedelivery(push: Push) {
    const { redeliverAfterMs, maxDeliveries } = this.settings;
    if (redeliverAfterMs <= 0 || push.deliveries >= maxDeliveries) return;
    push.timer = setTimeout(() => {
      if (push.acked) return;
      // The same frame, same messageId, on whichever connection is subscribed now.
      const connection = this.#subscriberOf(push.topic);
      if (connection) {
        push.frame.headers.connectionId = connection.connectionId;
        connection.ws.send(JSON.stringify(push.frame));
        push.deliveries++;
        this.#changed();
      }
      this.#scheduleRedelivery(push);
    }, redeliverAfterMs);
  }

  #subscriberOf(topic: string): Connection | undefined {
    const open = this.#connections.filter((c) => c.ws.readyState === WebSocket.OPEN);
    return open.findLast((c) => c.subscriptions.some((s) => s.type === "CALLBACK" && s.topic === topic));
  }

  #appIdOf(clientId: string): string {
    if (!this.#appIds.has(clientId)) this.#appIds.set(clientId, randomUUID());
    return this.#appIds.get(clientId)!;
  }

  #changed() {
    for (const listener of this.#onChange) listener();
  }

  /** Resolves with what `check` finds, re-checking on every frame and connection; fails after 5 s. */
  #until<T>(what: string, check: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = () => {
        const found = check();
        if (found === undefined) return;
        clearTimeout(timer);
        this.#onChange = this.#onChange.filter((l) => l !== listener);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#onChange = this.#onChange.filter((l) => l !== listener);
        reject(new Error(`fake Stream gateway: no ${what} within ${WAIT_MS} ms`));
      }, WAIT_MS);
      this.#onChange.push(listener);
      listener();
    });
  }
}
