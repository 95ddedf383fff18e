import { z } from "zod";

/**
 * Every handled failure has a stable machine-readable code and the Chinese message the
 * frontend shows. The server maps each code to its transport in one table (apps/server/src/errors/transport.ts).
 */
export const errorMessages = {
  VALIDATION: "请求参数无效",
  MALFORMED_JSON: "请求格式错误，请发送 JSON",
  UNSUPPORTED_MEDIA_TYPE: "不支持的请求格式",
  PAYLOAD_TOO_LARGE: "请求内容过大",
  NOT_FOUND: "接口不存在",
  UNAUTHENTICATED: "登录已失效，请重新登录",
  FORBIDDEN: "无权访问该数据",
  RATE_LIMITED: "操作过于频繁，请稍后再试",
  WRONG_PASSWORD: "邮箱或密码错误",
  ACCOUNT_DISABLED: "账号已被停用，请联系客服",
  CLIENT_OUTDATED: "客户端版本过低，请更新后再试",
  EMAIL_TAKEN: "该邮箱已注册",
  EMAIL_NOT_REGISTERED: "该邮箱尚未注册",
  CODE_INVALID: "验证码错误或已失效",
  CODE_EXPIRED: "验证码已过期，请重新获取",
  CODE_LOCKED: "验证码错误次数过多，请重新获取",
  INVALID_DEVICE: "设备标识无效，请在浏览器中打开页面后重新登录",
  INVITE_REQUIRED: "注册需要邀请码",
  INVITE_INVALID: "邀请码无效",
  INVITE_EXHAUSTED: "邀请码已达使用上限",
  INVITE_EXPIRED: "邀请码已过期",
  MAIL_FAILED: "邮件发送失败，请稍后再试",
  INSUFFICIENT_POINTS: "积分不足",
  POINTS_LIMIT: "积分余额已达上限，无法再增加",
  CARD_INVALID: "卡密无效",
  CARD_USED: "卡密已被使用",
  CARD_EXPIRED: "卡密已过期",
  CARD_DISABLED: "卡密已停用",
  MODEL_UNKNOWN: "不支持该模型",
  OPTION_UNSUPPORTED: "不支持该参数取值",
  TASK_NOT_FOUND: "任务不存在",
  UPLOAD_INVALID: "上传的图片无效，请上传 PNG、JPEG 或 WebP 图片（不超过 10 MB）",
  UPSTREAM_FAILED: "生成服务暂时不可用，请稍后再试",
  CONTENT_MODERATED: "内容未通过安全审核，积分已退回，请修改后重试",
  PROVIDER_NOT_CONFIGURED: "该服务暂未配置，请联系管理员",
  CHAT_FAILED: "猫猫暂时不在，积分已退还，请稍后再试",
  CHAT_MODERATED: "猫猫不方便聊这个话题，积分已退还，换个话题试试吧",
  INTERNAL: "服务器内部错误，请稍后再试",
} as const;

export type ErrorCode = keyof typeof errorMessages;

export const errorCodes = Object.keys(errorMessages) as [ErrorCode, ...ErrorCode[]];

export const ZErrorCode = z.enum(errorCodes);

/** The one answer of every handled failure on `/api/*`, always with HTTP 200. */
export const ZFailureResponse = z
  .object({
    status: z.literal("failed"),
    msg: z.string().meta({ description: "Chinese message shown to the user" }),
    code: ZErrorCode.meta({ description: "Stable machine-readable error code" }),
    field: z.string().optional().meta({ description: "For VALIDATION: the input field at fault, e.g. `password` or `messages.0.content`" }),
  })
  .meta({ id: "FailureResponse" });
export type FailureResponse = z.infer<typeof ZFailureResponse>;
