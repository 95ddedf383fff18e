import { z } from "zod";

/** Trimmed and lower-cased before any use (DESIGN.md §4). */
export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email())
  .meta({ example: "user@example.com" });

/** One line of text that is stored and shown (a nickname, a code): no control characters. */
export const ZSingleLineText = z.string().trim().regex(/^[^\u0000-\u001f\u007f]*$/, "不能包含控制字符");

/** Free text (a prompt, a chat message): line breaks are fine, NUL is not (PostgreSQL cannot store it). */
export const ZFreeText = z.string().regex(/^[^\u0000]*$/, "不能包含空字符");

export const ZNewPassword = z.string().min(8).max(128);

/** Any stored password may be tried; the policy applies when one is set. */
export const ZPassword = z.string().min(1).max(128);

/** An opaque browser-generated id (crypto.randomUUID); `"server"` and short ids are refused. */
export const ZDeviceId = z
  .string()
  .trim()
  .min(8)
  .max(200)
  .meta({ example: "2b1f9a58-8f0e-4c56-9a3e-0d1fb2c7f7a1" });

export const ZVerifyCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "验证码应为 6 位数字")
  .meta({ example: "123456" });

export const ZSuccessMessage = z.object({
  status: z.literal("success"),
  msg: z.string(),
});

/** `ApiResponse<T>` of the frontend's types. */
export const ZApiResponse = z.object({
  status: z.enum(["success", "failed"]),
  msg: z.string().optional(),
  data: z.unknown().optional(),
});
export type ApiResponse<T = unknown> = {
  status: "success" | "failed";
  msg?: string;
  data?: T;
};
