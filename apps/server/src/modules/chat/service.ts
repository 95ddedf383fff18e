import type { CatChatRequest, CatChatResponse, ChatMessage } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import { AppError } from "../../errors/app-error.js";
import type { Logger } from "../../logger.js";
import { chargeChat, finishChat, refundChat } from "./charges.js";
import { ChatUpstreamError } from "../../providers/openai-chat/client.js";
import { chatProvider } from "../../providers/registry.js";
import { chatRef } from "../points/refs.js";

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

function logUpstreamFailure(log: Logger, error: unknown, ref: string | undefined): void {
  if (!(error instanceof ChatUpstreamError)) {
    log.error({ err: error, ref }, "cat chat failed unexpectedly");
    return;
  }
  const fields = { ref, kind: error.kind, httpStatus: error.httpStatus, detail: error.detail };
  // The provider's content filter judged the conversation: the user's matter, not an outage.
  if (error.kind === "moderated") log.info(fields, "chat provider moderated the conversation");
  else if (error.kind === "account") log.error(fields, "chat provider refused our account: check CHAT_API_KEY and the provider's quota");
  else log.warn(fields, "chat provider failed");
}

/**
 * What the user reads when no reply comes: the code's message of the contract (refunded) unless the
 * chat was free, or its refund must wait for the sweep. A moderation asks for another topic, not a retry.
 */
const failureMessages = {
  CHAT_FAILED: { free: "猫猫暂时不在，请稍后再试", refundLater: "猫猫暂时不在，积分稍后自动退还，请稍后再试" },
  CHAT_MODERATED: { free: "猫猫不方便聊这个话题，换个话题试试吧", refundLater: "猫猫不方便聊这个话题，积分稍后自动退还，换个话题试试吧" },
} as const;

type ChatFailureCode = keyof typeof failureMessages;

function failureCodeOf(error: unknown): ChatFailureCode {
  return error instanceof ChatUpstreamError && error.kind === "moderated" ? "CHAT_MODERATED" : "CHAT_FAILED";
}

async function refundOrReport(deps: ChatDeps, caller: ChatCaller, callId: string, code: ChatFailureCode): Promise<AppError> {
  try {
    await refundChat(deps.db, callId);
    return new AppError(code);
  } catch (error) {
    // The call stays pending: the background sweep refunds it once the database answers again.
    caller.log.error({ err: error, ref: chatRef(callId) }, "cat chat refund failed; the sweep will retry it");
    return new AppError(code, failureMessages[code].refundLater);
  }
}

/**
 * One answer of the cat. The price is charged (and committed, with a pending call row) before the
 * upstream call and refunded once if no reply comes back; no transaction is open while the
 * provider is asked. A call whose process dies in between is refunded by `sweepChatCalls`.
 */
export async function catChat(deps: ChatDeps, caller: ChatCaller, request: CatChatRequest): Promise<CatChatResponse> {
  const endpoint = deps.providers.chat;
  if (!endpoint) throw new AppError("PROVIDER_NOT_CONFIGURED");
  const price = deps.config.points.chatPrice;
  const callId = price > 0 ? await chargeChat(deps.db, caller.userId, price) : undefined;
  let reply: string;
  try {
    reply = await chatProvider.complete(endpoint, withPersona(request.messages, deps.config.chat.persona), deps.config.chat.timeoutMs);
  } catch (error) {
    logUpstreamFailure(caller.log, error, callId && chatRef(callId));
    const code = failureCodeOf(error);
    if (!callId) throw new AppError(code, failureMessages[code].free);
    throw await refundOrReport(deps, caller, callId, code);
  }
  if (callId) {
    // The reply is the user's either way; a row left pending here is refunded by the sweep (in the user's favour).
    await finishChat(deps.db, callId).catch((error: unknown) =>
      caller.log.error({ err: error, ref: chatRef(callId) }, "could not mark a cat chat answered"),
    );
  }
  return { status: "success", reply };
}
