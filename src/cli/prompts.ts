import { InvalidInput } from "../engine/index.ts";

/**
 * Questions on a terminal (@clack/prompts), for the answers a command was not given as flags.
 * Loaded only when a question is asked: scripts and tests pass every flag and never load it.
 */

/** Whether a person is there to answer: both ends of the terminal. */
export const canAsk = (): boolean => process.stdin.isTTY === true && process.stdout.isTTY === true;

async function clack() {
  return import("@clack/prompts");
}

function answered<T>(value: T | symbol): T {
  if (typeof value === "symbol") throw new InvalidInput("", "cancelled; nothing was written");
  return value;
}

export async function askText(
  message: string,
  options: { initial?: string; placeholder?: string; check?: (value: string) => string | undefined } = {},
): Promise<string> {
  const { text } = await clack();
  const value = await text({
    message,
    ...(options.initial === undefined ? {} : { initialValue: options.initial }),
    ...(options.placeholder === undefined ? {} : { placeholder: options.placeholder }),
    ...(options.check ? { validate: (v: string | undefined) => options.check?.(v ?? "") } : {}),
  });
  return answered<string>(value).trim();
}

export async function askChoice<T extends string>(
  message: string,
  choices: readonly { value: T; label: string }[],
): Promise<T> {
  const { select } = await clack();
  const options = choices.map((c) => ({ value: c.value, label: c.label })) as Parameters<
    typeof select<T>
  >[0]["options"];
  return answered<T>(await select<T>({ message, options }));
}

export async function askYes(message: string, initial = false): Promise<boolean> {
  const { confirm } = await clack();
  return answered<boolean>(await confirm({ message, initialValue: initial }));
}
