import { z } from "zod";
import { ZDeviceId, ZEmail, ZNewPassword, ZPassword, ZSingleLineText, ZSuccessMessage, ZVerifyCode } from "./common.js";
import { ZNickname } from "./text.js";

export const ZUserData = z
  .object({
    nickname: z.string(),
    email: z.string(),
    points: z.number().int(),
    avatar_path: z.string().optional(),
    download_path: z.string().optional(),
    invite_code: z.string().optional().meta({ description: "The user's personal invite code" }),
  })
  .meta({ id: "UserData" });
export type UserData = z.infer<typeof ZUserData>;

export const ZLoginRequest = z.object({
  email: ZEmail,
  password: ZPassword,
  device_id: ZDeviceId,
  version: z.string("客户端版本号格式不正确").trim().max(32, "客户端版本号不能超过 32 个字符").optional().meta({ example: "1.0.0" }),
});
export type LoginRequest = z.infer<typeof ZLoginRequest>;

export const ZLoginResponse = z
  .discriminatedUnion("status", [
    z.object({ status: z.literal("success"), msg: z.string().optional(), data: ZUserData }),
    z.object({ status: z.literal("NEED_VERIFY"), msg: z.string().optional() }),
  ])
  .meta({ id: "LoginResponse" });
export type LoginResponse = z.infer<typeof ZLoginResponse>;

export const ZRegisterRequest = z.object({
  email: ZEmail,
  password: ZNewPassword,
  nickname: ZNickname,
  invite_code: ZSingleLineText.max(64, "邀请码不能超过 64 个字符").optional(),
  verify_code: ZVerifyCode,
});
export type RegisterRequest = z.infer<typeof ZRegisterRequest>;
export const ZRegisterResponse = ZSuccessMessage.meta({ id: "RegisterResponse" });
export type RegisterResponse = z.infer<typeof ZRegisterResponse>;

export const ZSendCodeRequest = z.object({ email: ZEmail });
export type SendCodeRequest = z.infer<typeof ZSendCodeRequest>;
export const ZSendCodeResponse = ZSuccessMessage.meta({ id: "SendCodeResponse" });
export type SendCodeResponse = z.infer<typeof ZSendCodeResponse>;

export const ZLoginVerifyRequest = z.object({
  email: ZEmail,
  code: ZVerifyCode,
  device_id: ZDeviceId,
});
export type LoginVerifyRequest = z.infer<typeof ZLoginVerifyRequest>;
export const ZLoginVerifyResponse = ZLoginResponse;
export type LoginVerifyResponse = LoginResponse;

export const ZResetPasswordRequest = z.object({
  email: ZEmail,
  password: ZNewPassword,
  verify_code: ZVerifyCode,
});
export type ResetPasswordRequest = z.infer<typeof ZResetPasswordRequest>;
export const ZResetPasswordResponse = ZSuccessMessage.meta({ id: "ResetPasswordResponse" });
export type ResetPasswordResponse = z.infer<typeof ZResetPasswordResponse>;
