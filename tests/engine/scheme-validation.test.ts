import { describe, expect, it } from "vitest";
import { InvalidDocument } from "../../src/engine/index.ts";
import { schemeFrom } from "../helpers.ts";

/** The message of the InvalidDocument that building the scheme throws. */
function problems(yaml: string): string[] {
  try {
    schemeFrom(yaml);
  } catch (error) {
    if (error instanceof InvalidDocument) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error("the scheme was accepted");
}

const role = (items: string) => `
name: test
roles:
  presales:
    items:
${items}`;

describe("scheme validation names the exact path and the reason", () => {
  it("weights that do not add up to 100%", () => {
    const issues = problems(
      role(`
      - { metric: conversion_rate, target: 15%, weight: 50% }
      - { metric: first_response_time, target: 30s, weight: 30% }
      - { metric: csat_rate, target: 90%, weight: 15% }`),
    );
    expect(issues).toEqual([
      "roles.presales.items[2].weight: weights of role presales add up to 95%, not 100%",
    ]);
  });

  it("an unknown metric, with the nearest one suggested", () => {
    expect(problems(role("      - { metric: convrsion_rate, target: 15%, weight: 100 }"))).toEqual([
      'roles.presales.items[0].metric: unknown metric "convrsion_rate"; did you mean conversion_rate?',
    ]);
  });

  it("a target that is not a figure of the metric's unit", () => {
    expect(problems(role("      - { metric: first_response_time, target: fast, weight: 100 }"))).toEqual([
      'roles.presales.items[0].target: "fast" is not a duration (target of first_response_time, in seconds)',
    ]);
  });

  it("a misspelt field", () => {
    expect(problems(role("      - { metric: csat_rate, target: 90%, weigth: 100 }"))).toContain(
      'roles.presales.items[0]: Unrecognized key: "weigth"',
    );
  });

  it("dimension weights that do not add up, and a dimension without items", () => {
    const issues = problems(`
name: test
roles:
  presales:
    dimensions: { business: 40%, efficiency: 25%, quality: 20%, behaviour: 10% }
    items:
      - { metric: conversion_rate, target: 15% }
      - { metric: first_response_time, target: 30s }
      - { metric: csat_rate, target: 90% }`);
    expect(issues).toEqual([
      "roles.presales.dimensions.behaviour: dimension behaviour has weight 10% but no item",
      "roles.presales.dimensions: dimension weights of role presales add up to 95%, not 100%",
    ]);
  });

  it("a weight on an item of a role weighted by dimensions", () => {
    const issues = problems(`
name: test
roles:
  presales:
    dimensions: { business: 100% }
    items:
      - { metric: conversion_rate, target: 15%, weight: 100% }`);
    expect(issues).toEqual([
      "roles.presales.items[0].weight: the role splits its weight by dimensions: give the item a share, not a weight",
    ]);
  });

  it("the same metric twice in a role", () => {
    expect(
      problems(
        role(`
      - { metric: csat_rate, target: 90%, weight: 50 }
      - { metric: 客户满意度, target: 95%, weight: 50 }`),
      ),
    ).toEqual(["roles.presales.items[1].metric: csat_rate appears twice in role presales"]);
  });

  it("grade bands without a bottom band, or with two bands at one total", () => {
    const issues = problems(`
name: test
grades:
  - { grade: A, min: 100, coefficient: 1.1 }
  - { grade: B, min: 100, coefficient: 1.0 }
roles:
  presales:
    items: [{ metric: csat_rate, target: 90%, weight: 100 }]`);
    expect(issues).toEqual([
      "grades: exactly one grade (the lowest) must have no min, so every total gets a grade",
      "grades: grades A and B start at the same total 100",
    ]);
  });

  it("a cap below 100", () => {
    expect(
      problems(
        `name: test\nitemCap: 90\nroles: { r: { items: [{ metric: csat_rate, target: 90%, weight: 100 }] } }`,
      ),
    ).toContain("itemCap: the item cap must be at least 100 (meeting the target scores 100), not 90");
  });

  it("a pay split that does not add up", () => {
    expect(
      problems(`name: test
pay: { base: 60%, performance: 25%, bonus: 10% }
roles: { r: { items: [{ metric: csat_rate, target: 90%, weight: 100 }] } }`),
    ).toEqual(["pay: the pay split adds up to 95%, not 100%"]);
  });

  it("a season that ends before it starts, names an unknown role, or breaks the weights", () => {
    const issues = problems(`
name: test
roles:
  presales:
    items:
      - { metric: conversion_rate, target: 15%, weight: 60 }
      - { metric: first_response_time, target: 30s, weight: 40 }
seasons:
  - { name: 双11, from: 2026-11-11, to: 2026-10-20, roles: [presale] }
  - { name: 618, from: 06-31, to: 06-18 }
  - name: 大促
    from: 11-01
    to: 11-11
    rescale: false
    addItems: [{ metric: payment_reminder_rate, target: 90%, weight: 15% }]`);
    expect(issues).toEqual([
      "seasons[0].to: season 双11 ends (2026-10-20) before it starts (2026-11-11)",
      'seasons[0].roles[0]: unknown role "presale"; the scheme has presales',
      'seasons[1].from: "06-31" is not a date: write 2026-11-11, or 11-11 for every year',
      "seasons[2]: with season 大促 the weights of role presales add up to 115%, not 100% (rescale is off)",
    ]);
  });

  it("a season target for a metric no role of it has", () => {
    expect(
      problems(`name: test
roles: { r: { items: [{ metric: csat_rate, target: 90%, weight: 100 }] } }
seasons: [{ name: 双11, from: 11-01, to: 11-11, targets: { first_response_time: 60s } }]`),
    ).toEqual([
      "seasons[0].targets.first_response_time: no role of season 双11 has an item first_response_time",
    ]);
  });

  it("a deduct rule without its points", () => {
    expect(
      problems(role("      - { metric: long_wait_count, target: 0, weight: 100, rule: deduct }")),
    ).toEqual([
      "roles.presales.items[0].pointsPerUnit: a deduct rule needs pointsPerUnit (points lost per unit off target)",
    ]);
  });

  it("reports the line of each problem in the file", () => {
    try {
      schemeFrom(
        role(`
      - { metric: conversion_rate, target: 15%, weight: 50% }
      - { metric: first_response_time, target: 30s, weight: 45% }`),
      );
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidDocument).issues[0]!.line).toBe(8);
      expect((error as Error).message).toContain("add up to 95%, not 100% (line 8)");
    }
  });

  it("reports YAML syntax errors with their line", () => {
    expect(() => schemeFrom("name: test\nroles: {\n  r: [\n")).toThrow(/not valid YAML\/JSON.*\(line \d\)/);
  });
});
