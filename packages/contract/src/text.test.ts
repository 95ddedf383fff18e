import { describe, expect, it } from "vitest";
import { ZNickname } from "./text.js";

function messageOf(value: string): string | undefined {
  const result = ZNickname.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

describe("ZNickname", () => {
  it("accepts ordinary nicknames, NFC-normalised and trimmed", () => {
    expect(ZNickname.parse("  Billy ")).toBe("Billy");
    expect(ZNickname.parse("小猫咪")).toBe("小猫咪");
    expect(ZNickname.parse("e\u0301")).toBe("\u00e9");
    expect(ZNickname.parse("🐱".repeat(32))).toBe("🐱".repeat(32));
  });

  it("refuses zero-width, bidi-override, C0/C1 control and line-separator characters", () => {
    for (const nickname of ["\u200B\u200B", "\u202Eevil\u202C", "a\u0085b", "a\u009bb", "a\u0007b", "a\u2028b", "a\u2066b", "a\uFEFFb"]) {
      expect(messageOf(nickname), JSON.stringify(nickname)).toBe("昵称不能包含不可见字符或控制字符");
    }
  });

  it("refuses a nickname with nothing visible, or longer than 32 characters", () => {
    expect(messageOf("\u3164\u3164")).toBe("昵称需包含至少一个可见字符");
    expect(messageOf("   ")).toBe("昵称不能为空");
    expect(messageOf("x".repeat(33))).toBe("昵称最多 32 个字符");
  });
});
