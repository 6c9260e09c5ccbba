import type { ChatMemory } from "../adapter.ts";

/**
 * Each user's DM channel with the bot: from memory, else from the database, else opened with
 * conversations.open (about 50 calls a minute: 5,000 first-time DMs would take 100 minutes) and
 * stored, so neither a restart nor another replica opens it again.
 */

export interface DmChannel {
  id: string;
  /** Opened just now: a refusal of this id is not a stale cache, and re-opening would not help. */
  fresh: boolean;
}

export class SlackDmChannels {
  readonly #known = new Map<string, string>();
  /** Sends to one new user at once share one conversations.open. */
  readonly #opening = new Map<string, Promise<string>>();

  constructor(
    private readonly memory: ChatMemory,
    private readonly now: () => Date,
    private readonly open: (userId: string) => Promise<string>,
  ) {}

  async channelOf(userId: string): Promise<DmChannel> {
    const known = await this.knownChannelOf(userId);
    if (known !== undefined) return { id: known, fresh: false };
    let opening = this.#opening.get(userId);
    if (opening === undefined) {
      opening = this.#openAndKeep(userId).finally(() => this.#opening.delete(userId));
      this.#opening.set(userId, opening);
    }
    return { id: await opening, fresh: true };
  }

  /** The DM channel from memory or the database, never opened: undefined when no send opened it. */
  async knownChannelOf(userId: string): Promise<string | undefined> {
    const known = this.#known.get(userId) ?? (await this.memory.dmChannelOf("slack", userId));
    if (known !== undefined) this.#known.set(userId, known);
    return known;
  }

  /** Slack no longer takes this id (channel_not_found, is_archived): the next send opens the DM again. */
  async forget(userId: string, channelId: string): Promise<void> {
    if (this.#known.get(userId) === channelId) this.#known.delete(userId);
    await this.memory.forgetDmChannel("slack", userId, channelId);
  }

  async #openAndKeep(userId: string): Promise<string> {
    const id = await this.open(userId);
    await this.memory.rememberDmChannel({ platform: "slack", userId, channelId: id, openedAt: this.now() });
    this.#known.set(userId, id);
    return id;
  }
}
