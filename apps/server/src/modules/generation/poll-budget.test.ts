import { describe, expect, it } from "vitest";
import { PollBudget } from "./poll-budget.js";

describe("the poll budget", () => {
  it("grants at most one second's worth at once, then refills at its rate", () => {
    let now = 0;
    const budget = new PollBudget(100, () => now);
    expect(budget.take(250)).toBe(100);
    expect(budget.take(10)).toBe(0);
    now = 300;
    expect(budget.take(250)).toBe(30);
    now = 10_000;
    expect(budget.take(250)).toBe(100);
  });

  it("takes back what was granted but not used, up to one second's worth", () => {
    let now = 0;
    const budget = new PollBudget(10, () => now);
    expect(budget.take(10)).toBe(10);
    budget.giveBack(7);
    expect(budget.take(10)).toBe(7);
    budget.giveBack(50);
    expect(budget.take(50)).toBe(10);
  });
});
