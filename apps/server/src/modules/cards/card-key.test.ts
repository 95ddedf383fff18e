import { describe, expect, it } from "vitest";
import { cardKeyAlphabet, generateCardKey, hashCardKey, normaliseCardKey } from "./card-key.js";

describe("card key generation", () => {
  it("makes XXXX-XXXX-XXXX keys of the 32 unambiguous symbols only", () => {
    expect(cardKeyAlphabet).toHaveLength(32);
    expect(cardKeyAlphabet).not.toMatch(/[01IO]/);
    for (let i = 0; i < 200; i++) expect(generateCardKey()).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  });

  it("uses every symbol of the alphabet and does not repeat keys", () => {
    const keys = Array.from({ length: 2000 }, generateCardKey);
    expect(new Set(keys).size).toBe(keys.length);
    const seen = new Set(keys.join("").replaceAll("-", ""));
    expect([...seen].sort().join("")).toBe([...cardKeyAlphabet].sort().join(""));
  });
});

describe("card key normalisation", () => {
  it.each([
    ["K7QM-4XZP-9HTR", "canonical"],
    ["k7qm-4xzp-9htr", "lower case"],
    ["K7QM4XZP9HTR", "no dashes"],
    ["  k7qm 4xzp 9htr  ", "spaces"],
    ["K7QM_4XZP.9HTR", "other separators"],
    ["Ｋ７ＱＭ－４ＸＺＰ－９ＨＴＲ", "full-width characters of a Chinese IME"],
  ])("reads %s (%s) as K7QM-4XZP-9HTR", (typed) => {
    expect(normaliseCardKey(typed)).toBe("K7QM-4XZP-9HTR");
  });

  it.each([
    ["", "empty"],
    ["K7QM-4XZP-9HT", "11 symbols"],
    ["K7QM-4XZP-9HTRA", "13 symbols"],
    ["K7QM-4XZP-9HT0", "a zero"],
    ["K7QM-4XZP-9HTO", "the letter O"],
    ["K7QM-4XZP-9HT1", "a one"],
    ["K7QM-4XZP-9HTI", "the letter I"],
    ["卡密卡密-4XZP-9HTR", "other letters"],
  ])("refuses %s (%s) without a lookup", (typed) => {
    expect(normaliseCardKey(typed)).toBeNull();
  });
});

describe("card key hashing", () => {
  it("depends on the secret and on the key, and never contains the key", () => {
    const key = "K7QM-4XZP-9HTR";
    const hash = hashCardKey("secret-a", key);
    expect(hash).toBe(hashCardKey("secret-a", key));
    expect(hash).not.toBe(hashCardKey("secret-b", key));
    expect(hash).not.toBe(hashCardKey("secret-a", "K7QM-4XZP-9HTS"));
    expect(hash).not.toContain("K7QM");
  });
});
