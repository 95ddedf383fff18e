import { describe, expect, it } from "vitest";
import { ipLimitKey } from "./ip-limit-key.js";

describe("ipLimitKey", () => {
  it("keeps an IPv4 address as it is", () => {
    expect(ipLimitKey("203.0.113.7")).toBe("203.0.113.7");
  });

  it("counts an IPv4-mapped IPv6 address as its IPv4 address", () => {
    expect(ipLimitKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(ipLimitKey("::ffff:cb00:7107")).toBe("203.0.113.7");
  });

  it("counts every address of one IPv6 /64 under one key, whatever its spelling", () => {
    const keys = ["2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:0DB8:0001:0002:0:0:0:9", "2001:db8:1:2::9%eth0"].map(
      ipLimitKey,
    );
    expect(new Set(keys)).toEqual(new Set(["2001:db8:1:2::/64"]));
  });

  it("gives neighbouring /64s keys of their own", () => {
    expect(ipLimitKey("2001:db8:1:3::1")).not.toBe(ipLimitKey("2001:db8:1:2::1"));
    expect(ipLimitKey("::1")).toBe("0:0:0:0::/64");
  });
});
