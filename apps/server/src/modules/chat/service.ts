import { randomUUID } from "node:crypto";
import type { CatChatRequest, CatChatResponse, ChatMessage } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import type { Logger } from "../../logger.js";
import { changePoints } from "../points/ledger.js";
import { ChatUpstreamError, completeChat } from "./upstream.js";

export const chatLedger = { consume: "猫猫对话", refund: "对话失败退款" } as const;

export interface ChatCaller {
  userId: number;
  /** The request's logger (with its request id), for what the operator must see. */
  log: Logger;
}

type ChatDeps = Pick<AppDeps, "db" | "config" | "providers">;

/** The configured persona leads the conversation unless the client brought a system message of its own. */
export function withPersona(messages: ChatMessage[], persona: string): ChatMessage[] {
  if (messages.some((message) => message.role === "system")) return messages;
  return [{ role: "system", content: persona }, ...messages];
}

function charge(deps: ChatDeps, userId: number, price: number, ref: string): Promise<unknown> {
  return deps.db.transaction().execute((trx) => changePoints(trx, { userId, delta: -price, type: "consume", description: chatLedger.consume, ref }));
}

function refund(deps: ChatDeps, userId: number, price: number, ref: string): Promise<unknown> {
  return deps.db.transaction().execute((trx) => changePoints(trx, { userId, delta: price, type: "refund", description: chatLedger.refund, ref }));
}

function logUpstreamFailure(log: Logger, error: unknown, ref: string): void {
  if (!(error instanceof ChatUpstreamError)) {
    log.error({ err: error, ref }, "cat chat failed unexpectedly");
    return;
  }
  const fields = { ref, kind: error.kind, httpStatus: error.httpStatus, detail: error.detail };
  if (error.kind === "account") log.error(fields, "chat provider refused our account: check CHAT_API_KEY and the provider's quota");
  else log.warn(fields, "chat provider failed");
}

/**
 * One answer of the cat. The price is charged (and committed) before the upstream call, and
 * refunded once if no reply comes back; no transaction is open while the provider is asked.
 */
export async function catChat(deps: ChatDeps, caller: ChatCaller, request: CatChatRequest): Promise<CatChatResponse> {
  const endpoint = deps.providers.chat;
  if (!endpoint) throw new AppError("PROVIDER_NOT_CONFIGURED");
  const price = deps.config.points.chatPrice;
  const ref = `chat:${randomUUID()}`;
  if (price > 0) await charge(deps, caller.userId, price, ref);
  try {
    const reply = await completeChat(endpoint, withPersona(request.messages, deps.config.chat.persona), deps.config.chat.timeoutMs);
    return { status: "success", reply };
  } catch (error) {
    logUpstreamFailure(caller.log, error, ref);
    if (price === 0) throw new AppError("CHAT_FAILED", "猫猫暂时不在，请稍后再试");
    try {
      await refund(deps, caller.userId, price, ref);
    } catch (refundError) {
      caller.log.error({ err: refundError, ref, userId: caller.userId, points: price }, "cat chat refund failed: credit the points by hand");
      throw new AppError("INTERNAL");
    }
    throw new AppError("CHAT_FAILED");
  }
}
