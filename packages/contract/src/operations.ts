import type { z } from "zod";
import {
  ZLoginRequest,
  ZLoginResponse,
  ZLoginVerifyRequest,
  ZLoginVerifyResponse,
  ZRegisterRequest,
  ZRegisterResponse,
  ZResetPasswordRequest,
  ZResetPasswordResponse,
  ZSendCodeRequest,
  ZSendCodeResponse,
} from "./auth.js";
import { ZCatChatRequest, ZCatChatResponse } from "./chat.js";
import {
  ZBananaCreateRequest,
  ZCreateTaskResponse,
  ZJimengCreateResponse,
  ZJimengImageCreateRequest,
  ZJimengVideoCreateRequest,
  ZListTasksRequest,
  ZListTasksResponse,
  ZQueryResultRequest,
  ZQueryResultResponse,
  ZSoraCreateRequest,
} from "./generation.js";
import { ZRedeemCardRequest, ZRedeemCardResponse } from "./pay.js";
import { ZGetHistoryRequest, ZGetHistoryResponse, ZHeartbeatRequest, ZHeartbeatResponse } from "./user.js";

export interface Operation {
  method: "GET" | "POST";
  path: `/api/${string}`;
  summary: string;
  tag: "auth" | "user" | "pay" | "generation" | "chat";
  /** Callers must send `x-user-email` + `x-device-id` naming the active session. */
  authenticated: boolean;
  /** How long the frontend waits before giving up; `null` waits forever (multipart upload). */
  clientTimeoutMs: number | null;
  input: z.ZodType;
  output: z.ZodType;
}

/**
 * The documented REST operations (API_README.md): operation → method + path.
 * The server's procedures, the OpenAPI document and the client all read this table.
 */
const operationTable = {
  login: {
    method: "POST",
    path: "/api/auth/login",
    summary: "登录（新设备需邮箱验证）",
    tag: "auth",
    authenticated: false,
    clientTimeoutMs: 30_000,
    input: ZLoginRequest,
    output: ZLoginResponse,
  },
  register: {
    method: "POST",
    path: "/api/auth/register",
    summary: "注册新用户",
    tag: "auth",
    authenticated: false,
    clientTimeoutMs: 30_000,
    input: ZRegisterRequest,
    output: ZRegisterResponse,
  },
  sendCode: {
    method: "POST",
    path: "/api/auth/send_code",
    summary: "发送邮箱验证码（注册/重置密码通用）",
    tag: "auth",
    authenticated: false,
    clientTimeoutMs: 30_000,
    input: ZSendCodeRequest,
    output: ZSendCodeResponse,
  },
  loginVerify: {
    method: "POST",
    path: "/api/auth/login_verify",
    summary: "新设备验证",
    tag: "auth",
    authenticated: false,
    clientTimeoutMs: 30_000,
    input: ZLoginVerifyRequest,
    output: ZLoginVerifyResponse,
  },
  resetPassword: {
    method: "POST",
    path: "/api/auth/reset_password",
    summary: "重置密码",
    tag: "auth",
    authenticated: false,
    clientTimeoutMs: 30_000,
    input: ZResetPasswordRequest,
    output: ZResetPasswordResponse,
  },
  heartbeat: {
    method: "POST",
    path: "/api/user/heartbeat",
    summary: "心跳保活 + 设备冲突检测（无有效会话时回答 rejected）",
    tag: "user",
    authenticated: true,
    clientTimeoutMs: 8_000,
    input: ZHeartbeatRequest,
    output: ZHeartbeatResponse,
  },
  getHistory: {
    method: "GET",
    path: "/api/user/history",
    summary: "余额和交易记录（按时间倒序）",
    tag: "user",
    authenticated: true,
    clientTimeoutMs: 30_000,
    input: ZGetHistoryRequest,
    output: ZGetHistoryResponse,
  },
  redeemCard: {
    method: "POST",
    path: "/api/pay/redeem",
    summary: "卡密充值",
    tag: "pay",
    authenticated: true,
    clientTimeoutMs: 30_000,
    input: ZRedeemCardRequest,
    output: ZRedeemCardResponse,
  },
  soraCreate: {
    method: "POST",
    path: "/api/proxy/sora",
    summary: "Sora 视频生成",
    tag: "generation",
    authenticated: true,
    clientTimeoutMs: 600_000,
    input: ZSoraCreateRequest,
    output: ZCreateTaskResponse,
  },
  bananaCreate: {
    method: "POST",
    path: "/api/proxy/banana",
    summary: "Banana 图片生成",
    tag: "generation",
    authenticated: true,
    clientTimeoutMs: 300_000,
    input: ZBananaCreateRequest,
    output: ZCreateTaskResponse,
  },
  queryResult: {
    method: "POST",
    path: "/api/proxy/v1/draw/result",
    summary: "轮询生成任务结果",
    tag: "generation",
    authenticated: true,
    clientTimeoutMs: 30_000,
    input: ZQueryResultRequest,
    output: ZQueryResultResponse,
  },
  jimengVideoCreate: {
    method: "POST",
    path: "/api/proxy/jimeng/create",
    summary: "即梦视频生成",
    tag: "generation",
    authenticated: true,
    clientTimeoutMs: 60_000,
    input: ZJimengVideoCreateRequest,
    output: ZJimengCreateResponse,
  },
  jimengImageCreate: {
    method: "POST",
    path: "/api/proxy/jimeng/image",
    summary: "即梦图片生成（JSON 或 multipart）",
    tag: "generation",
    authenticated: true,
    clientTimeoutMs: 60_000,
    input: ZJimengImageCreateRequest,
    output: ZJimengCreateResponse,
  },
  listTasks: {
    method: "GET",
    path: "/api/user/tasks",
    summary: "我的生成任务（按时间倒序）",
    tag: "user",
    authenticated: true,
    clientTimeoutMs: 30_000,
    input: ZListTasksRequest,
    output: ZListTasksResponse,
  },
  catChat: {
    method: "POST",
    path: "/api/proxy/cat/chat",
    summary: "AI 猫猫伴侣对话",
    tag: "chat",
    authenticated: true,
    clientTimeoutMs: 30_000,
    input: ZCatChatRequest,
    output: ZCatChatResponse,
  },
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof operationTable;

/** Each operation also carries its own name (the tRPC procedure's and the OpenAPI operationId). */
function named<T extends Record<string, Operation>>(table: T): { [K in keyof T]: T[K] & { name: K } } {
  return Object.fromEntries(Object.entries(table).map(([name, op]) => [name, { ...op, name }])) as { [K in keyof T]: T[K] & { name: K } };
}

export const operations = named(operationTable);
export type NamedOperation = Operation & { name: OperationName };

/** Headers the frontend sends on every call (CORS must allow them). */
export const authHeaders = { email: "x-user-email", deviceId: "x-device-id" } as const;
