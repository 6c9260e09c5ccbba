import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidDocument, type Scheme } from "../../src/engine/index.ts";
import { readScheme } from "../../src/schemes/index.ts";

/** A scheme that `extends` another is the base with its own keys over it (scheme-extends.ts). */

const dir = mkdtempSync(join(tmpdir(), "kpi-extends-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const itemsOf = (scheme: Scheme, role: string) =>
  scheme.roles.get(role)!.items.map((i) => [i.metric.id, i.share, i.rule.kind]);

async function refusal(path: string): Promise<string> {
  const error = await readScheme(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidDocument);
  return (error as Error).message;
}

describe("a scheme that extends another", () => {
  it("is the base with its items added: presales-rated is presales plus two rated items", async () => {
    const base = (await readScheme("presales")).scheme;
    const { scheme, document } = await readScheme("presales-rated");
    expect(scheme.id).toBe("presales-rated");
    expect(itemsOf(scheme, "presales")).toEqual([
      ...itemsOf(base, "presales"),
      ["teamwork", 1, "rated"],
      ["learning_growth", 1, "rated"],
    ]);
    expect(scheme.pay).toEqual(base.pay);
    expect(scheme.seasons).toEqual(base.seasons);
    // The stored version is the whole document, not the reference to its base.
    expect(document).not.toHaveProperty("extends");
    expect((document as { roles: { presales: { items: unknown[] } } }).roles.presales.items).toHaveLength(
      base.roles.get("presales")!.items.length + 2,
    );
  });

  it("reads a base file relative to itself, removes items, and lays its own keys over the base's", async () => {
    file(
      "base.yaml",
      `id: base\nname: 基础\nroles:\n  presales:\n    name: 售前\n    items:\n      - { metric: conversion_rate, target: 15%, weight: 60% }\n      - { metric: aov_uplift, target: 5%, weight: 40% }\n`,
    );
    const path = file(
      "variant.yaml",
      `extends: ./base.yaml\nid: variant\nitemCap: 100\nroles:\n  presales:\n    removeItems: [aov_uplift]\n    addItems:\n      - { metric: csat_rate, target: 90%, weight: 40% }\n`,
    );
    const { scheme } = await readScheme(path);
    expect(scheme.id).toBe("variant");
    expect(scheme.name).toBe("基础");
    expect(scheme.itemCap).toBe(100);
    expect(scheme.roles.get("presales")!.items.map((i) => [i.metric.id, i.weightBp])).toEqual([
      ["conversion_rate", 6000],
      ["csat_rate", 4000],
    ]);
  });

  it("names what is wrong: an unknown base, a loop, an item to remove that is not there, one added twice", async () => {
    expect(await refusal(file("unknown.yaml", "extends: nowhere\nid: x\n"))).toMatch(
      /extends: "nowhere" is neither a built-in scheme nor a readable scheme file \(line 1\)/,
    );
    file("a.yaml", "extends: ./b.yaml\nid: a\n");
    expect(await refusal(file("b.yaml", "extends: ./a.yaml\nid: b\n"))).toMatch(
      /extends itself, round about/,
    );
    expect(
      await refusal(
        file("remove.yaml", "extends: presales\nid: r\nroles:\n  presales:\n    removeItems: [teamwork]\n"),
      ),
    ).toMatch(
      /roles\.presales\.removeItems\[0\]: "teamwork" is not an item of presales in presales \(line 5\)/,
    );
    expect(
      await refusal(
        file(
          "twice.yaml",
          "extends: presales\nid: t\nroles:\n  presales:\n    addItems: [{ metric: csat_rate, share: 1, target: 90% }]\n",
        ),
      ),
    ).toMatch(/"csat_rate" is an item of presales already/);
  });
});
