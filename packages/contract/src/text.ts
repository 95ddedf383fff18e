import { z } from "zod";

/**
 * Characters a person cannot see or that rearrange what follows: controls (C0, DEL, C1), format
 * characters (zero-width spaces, bidirectional overrides and isolates, BOM) and the line and
 * paragraph separators U+2028/2029.
 */
const invisibleOrControl = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** Fillers are letters by category yet show nothing (Hangul fillers, the blank Braille pattern). */
const visibleCharacter = /(?![\u115F\u1160\u3164\uFFA0\u2800])[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * One line of text that people read (a nickname, an operator's label): trimmed and NFC-normalised,
 * 1 to `maxCharacters` characters (code points), at least one visible, nothing invisible or
 * controlling. `what` names the field in the messages.
 */
export function displayText(what: string, maxCharacters: number) {
  return z
    .string()
    .trim()
    .normalize("NFC")
    .min(1, `${what}不能为空`)
    .refine((text) => !invisibleOrControl.test(text), `${what}不能包含不可见字符或控制字符`)
    .refine((text) => text === "" || visibleCharacter.test(text), `${what}需包含至少一个可见字符`)
    .refine((text) => [...text].length <= maxCharacters, `${what}最多 ${maxCharacters} 个字符`);
}

export const ZNickname = displayText("昵称", 32).meta({ example: "Billy" });
