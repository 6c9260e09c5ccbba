/**
 * The few error types the core understands. Adapters and loaders map what they catch into these,
 * so callers can tell a user's mistake (InvalidInput) from a fault of ours.
 */

/** Something a person wrote is wrong: `path` says where (a scheme path, "row 14, column 首次响应时间"). */
export class InvalidInput extends Error {
  override readonly name: string = "InvalidInput";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(path ? `${path}: ${reason}` : reason);
  }
}

export interface Issue {
  path: string;
  message: string;
  /** Line in the source file, when a loader knows it. */
  line?: number;
}

/** Several problems found in one document; each is reported, not only the first. */
export class InvalidDocument extends InvalidInput {
  override readonly name: string = "InvalidDocument";
  constructor(
    readonly what: string,
    readonly issues: readonly Issue[],
  ) {
    super("", `${what} is invalid:\n${issues.map((i) => `  ${formatIssue(i)}`).join("\n")}`);
  }
}

export function formatIssue(issue: Issue): string {
  const text = issue.path ? `${issue.path}: ${issue.message}` : issue.message;
  return issue.line ? `${text} (line ${issue.line})` : text;
}

/** Figures that cannot be combined exactly, e.g. two finished ratios in one roll-up. */
export class RollupError extends Error {
  override readonly name = "RollupError";
}
