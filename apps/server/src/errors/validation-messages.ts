import { errorMessages, fieldPlaceholder } from "@ocean1/contract";
import type { ZodError } from "zod";
import { AppError } from "./app-error.js";

type Issue = ZodError["issues"][number];

/** Input fields in words, for the fallback sentence of an issue the contract gave no message of its own. */
const fieldWords: Record<string, string> = {
  email: "邮箱",
  password: "密码",
  nickname: "昵称",
  invite_code: "邀请码",
  verify_code: "验证码",
  code: "验证码",
  device_id: "设备标识",
  version: "客户端版本号",
  card_key: "卡密",
  limit: "条数",
  before: "起始记录编号",
  prompt: "提示词",
  model: "模型",
  aspectRatio: "画面比例",
  duration: "时长",
  size: "尺寸",
  url: "图片链接",
  urls: "参考图片",
  imageSize: "图片尺寸",
  id: "任务编号",
  ratio: "画面比例",
  resolution: "分辨率",
  negative_prompt: "反向提示词",
  messages: "消息",
  role: "消息角色",
  content: "消息内容",
};

/** `messages.0.content` → `第 1 条消息的消息内容`; a field the table does not know is "某个参数". */
export function fieldInWords(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "请求内容";
  const words: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const next = path[i + 1];
    const word = typeof key === "string" ? (fieldWords[key] ?? "某个参数") : "";
    if (typeof next === "number") {
      words.push(`第 ${next + 1} 条${word}`);
      i++;
    } else if (word) words.push(word);
  }
  return words.join("的");
}

/** The contract writes its messages in Chinese; anything else is a validator's own wording, never shown. */
const written = /[\u4e00-\u9fff]/;

function fallback(issue: Issue): string {
  const field = fieldInWords(issue.path);
  switch (issue.code) {
    case "invalid_type":
      return /received undefined/.test(issue.message) ? `请填写${field}` : `${field}格式不正确`;
    case "too_small":
      if (issue.origin === "string") return `${field}至少需要 ${issue.minimum} 个字符`;
      if (issue.origin === "array") return `${field}至少需要 ${issue.minimum} 项`;
      return `${field}不能小于 ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "string") return `${field}不能超过 ${issue.maximum} 个字符`;
      if (issue.origin === "array") return `${field}最多 ${issue.maximum} 项`;
      return `${field}不能大于 ${issue.maximum}`;
    case "unrecognized_keys":
      return "请求中包含不支持的参数";
    default:
      return `${field}格式不正确`;
  }
}

/** The first issue of a failed input parse, as a sentence for people and the machine-readable field. */
export function describeInputIssue(error: ZodError): { msg: string; field?: string } {
  const issue = error.issues[0];
  if (!issue) return { msg: errorMessages.VALIDATION };
  const msg = written.test(issue.message) ? issue.message.replaceAll(fieldPlaceholder, fieldInWords(issue.path)) : fallback(issue);
  return issue.path.length > 0 ? { msg, field: issue.path.map(String).join(".") } : { msg };
}

/** For an express route that parses its input with a contract schema itself: the same answer as a procedure's. */
export function inputValidationError(error: ZodError): AppError {
  const { msg, field } = describeInputIssue(error);
  return new AppError("VALIDATION", msg, field);
}
