import { describe, expect, it } from "vitest";
import { displayWidth, formatTable } from "./output.js";

describe("formatTable", () => {
  it("aligns columns holding Chinese text by display width", () => {
    const table = formatTable([
      { nickname: "李雷", points: 120 },
      { nickname: "Bob", points: 5 },
    ]);
    const lines = table.split("\n");
    expect(lines.map((line) => displayWidth(line.slice(0, line.lastIndexOf(" ") + 1)))).toEqual([10, 10, 10, 10]);
    expect(lines[2]).toBe("李雷      120");
  });

  it("says (none) for no rows", () => {
    expect(formatTable([])).toBe("(none)");
  });
});
