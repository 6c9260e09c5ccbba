import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { memorySettler } from "../../src/bot/memory-settle.ts";

/** A WeakRef to an object nothing else holds; it is cleared only by a collection. */
async function garbage(): Promise<WeakRef<object>> {
  const ref = new WeakRef({ payload: new Array(1000).fill("x") });
  // A WeakRef's target is kept until the end of the task that made it.
  await sleep(0);
  return ref;
}

describe("memory settler", () => {
  it("collects at once when asked to", async () => {
    const ref = await garbage();
    expect(ref.deref()).toBeDefined();
    // deref() keeps the target for the rest of this task, as making it did.
    await sleep(0);
    memorySettler().now();
    expect(ref.deref()).toBeUndefined();
  });

  it("collects after the quiet time that follows the last burst, not before", async () => {
    const settler = memorySettler(50);
    const ref = await garbage();
    settler.workEnded();
    await sleep(10);
    settler.workEnded(); // another burst: the quiet time starts again
    await sleep(200);
    expect(ref.deref()).toBeUndefined();
    settler.stop();
  });

  it("collects nothing once stopped", async () => {
    const settler = memorySettler(20);
    const ref = await garbage();
    settler.workEnded();
    settler.stop();
    await sleep(100);
    // Nothing in this test allocates enough for V8 to collect on its own meanwhile.
    expect(ref.deref()).toBeDefined();
  });
});
