import { describe, expect, it } from "vitest";
import { classifyStatus } from "./http-status.js";

describe("classifyStatus: one reading of an upstream's HTTP status for generation and chat", () => {
  it.each([
    [200, "", "ok"],
    [204, "", "ok"],
    [401, "", "account"],
    [402, "", "account"],
    [403, "", "account"],
    [429, '{"error":{"type":"insufficient_quota"}}', "account"],
    [429, "You exceeded your current quota", "account"],
    [429, "slow down", "rate_limited"],
    [500, "", "unavailable"],
    [503, "", "unavailable"],
    [400, "", "refused"],
    [404, "", "refused"],
    [302, "", "refused"],
  ] as const)("HTTP %i %j is %s", (status, body, expected) => {
    expect(classifyStatus(status, body)).toBe(expected);
  });
});
