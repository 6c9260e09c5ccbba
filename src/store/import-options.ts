/** What an import is told (ImportOptions) and what it says of the agent-days it stored. */

export interface ImportOptions {
  /** SHA-256 of the file (or fetched body). */
  fileHash: string;
  fileName?: string;
  /** Shop of records that do not name one. */
  shopId: string;
  /** Day of records that do not have one (the import's --date). */
  day?: string;
  unknownAgents: "reject" | "create";
  /** Role of agents created for unknown accounts. */
  defaultRole: string;
  actor: string;
  now: Date;
  /**
   * Agent-days from which the batch is stored by COPY (default COPY_FROM_AGENT_DAYS in
   * import-copy-writes.ts); tests lower it to take that path with small files.
   */
  copyFrom?: number;
  /**
   * Bytes of COPY text the census keeps so that a big batch is not read again (default
   * HELD_BYTES in import-held-rows.ts); tests set 0 to take the second reading.
   */
  holdBytes?: number;
  /** Called after each statement of agent-days has been written, inside the transaction. */
  onProgress?: (written: number, total: number) => void;
}

/**
 * The file's agent-days by what storing them did: counted, not listed (a month of a big shop is
 * 1.5 million). Each replaced or filled one has its audit entry, naming the metrics.
 */
export interface AgentDayCounts {
  /** Stored for the first time. */
  new: number;
  /** Stored before with other figures, now the file's (`import.replace`). */
  replaced: number;
  /** Stored before with figures pending, now filled in and nothing else changed (`import.fill-pending`). */
  filled: number;
  /** Stored before with the same figures. */
  unchanged: number;
}
