import { describe, expect, it } from "vitest";
import { scrubSecrets } from "./secrets.js";

describe("scrubSecrets", () => {
  it.each([
    ["invalid api key: Bearer sk-live-0123456789abcdef", "invalid api key: Bearer [redacted]"],
    ['{"msg":"key sk-proj-AbCdEf123456 has no quota"}', '{"msg":"key sk-[redacted] has no quota"}'],
    ["authorization=bearer abc.def.ghi, retry", "authorization=Bearer [redacted], retry"],
    ["session my-configured-session expired", "session [redacted] expired"],
  ])("takes the secret out of %j", (text, expected) => {
    expect(scrubSecrets(text, ["my-configured-session"])).toBe(expected);
  });

  it("leaves ordinary provider text as it is", () => {
    const text = "upstream code -2007: [生成失败]: 图像生成失败 (task sk-8 of 10)";
    expect(scrubSecrets(text, ["abc"])).toBe(text);
  });
});
