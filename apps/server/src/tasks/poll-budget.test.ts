import { describe, expect, it } from "vitest";
import { PollBudget } from "./poll-budget.js";

describe("the poll budget", () => {
  it("grants at most two seconds' worth at once, then refills at its rate", () => {
    let now = 0;
    const budget = new PollBudget(100, () => now);
    expect(budget.take(250)).toBe(200);
    expect(budget.take(10)).toBe(0);
    now = 300;
    expect(budget.take(250)).toBe(30);
    now = 10_000;
    expect(budget.take(250)).toBe(200);
  });

  it("takes back what was granted but not used, up to two seconds' worth", () => {
    const budget = new PollBudget(10, () => 0);
    expect(budget.take(20)).toBe(20);
    budget.giveBack(7);
    expect(budget.take(20)).toBe(7);
    budget.giveBack(50);
    expect(budget.take(50)).toBe(20);
  });
});
