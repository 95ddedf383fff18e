import { z } from "zod";

/**
 * Validation messages are for people (DESIGN.md §2): a Chinese sentence about the field in words.
 * `required` answers an absent field, `invalid` one of the wrong kind (a number for a string...).
 */
/** In a message of a schema shared by several fields, the server puts the field in words (`昵称`, `提示词`) here. */
export const fieldPlaceholder = "{field}";

export function fieldError(required: string, invalid: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? required : invalid) };
}

/**
 * The page size of a listing (history, tasks): the same sentences everywhere. The range is checked
 * before the integer, so an absurd number is told the range rather than the safe-integer limit.
 */
export function pageLimit(max: number) {
  const range = `条数需为 1–${max}`;
  return z.number("条数应为数字").min(1, range).max(max, range).int("条数应为整数");
}

/** Trimmed and lower-cased before any use (DESIGN.md §4). */
export const ZEmail = z
  .string(fieldError("请填写邮箱", "邮箱格式不正确"))
  .trim()
  .toLowerCase()
  .max(254, "邮箱不能超过 254 个字符")
  .pipe(z.email("邮箱格式不正确"))
  .meta({ example: "user@example.com" });

/** One line of text that is stored and shown (a nickname, a code): no control characters. */
export const ZSingleLineText = z
  .string()
  .trim()
  .regex(/^[^\u0000-\u001f\u007f]*$/, `${fieldPlaceholder}不能包含控制字符`);

/** Free text (a prompt, a chat message): line breaks are fine, NUL is not (PostgreSQL cannot store it). */
export const ZFreeText = z.string().regex(/^[^\u0000]*$/, `${fieldPlaceholder}不能包含空字符`);

const newPasswordLength = "密码长度需为 8–128 个字符";
export const ZNewPassword = z.string(fieldError("请填写密码", "密码格式不正确")).min(8, newPasswordLength).max(128, newPasswordLength);

/** Any stored password may be tried; the policy applies when one is set. */
export const ZPassword = z.string(fieldError("请填写密码", "密码格式不正确")).min(1, "请填写密码").max(128, "密码不能超过 128 个字符");

/**
 * An opaque browser-generated id (crypto.randomUUID). `"server"` and short ids pass here and are
 * refused by the service with INVALID_DEVICE (log in from the browser), not as bad input.
 */
export const ZDeviceId = z
  .string(fieldError("缺少设备标识，请在浏览器中登录", "设备标识格式不正确"))
  .trim()
  .max(200, "设备标识不能超过 200 个字符")
  .meta({ example: "2b1f9a58-8f0e-4c56-9a3e-0d1fb2c7f7a1" });

export const ZVerifyCode = z
  .string(fieldError("请填写验证码", "验证码应为 6 位数字"))
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
