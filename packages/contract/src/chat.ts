import { z } from "zod";
import { ZFreeText } from "./common.js";

export const chatLimits = { messagesMax: 50, contentMaxLength: 4000 } as const;

export const ZChatMessage = z
  .object({
    role: z.enum(["user", "assistant", "system"]),
    content: ZFreeText.min(1, "消息内容不能为空").max(chatLimits.contentMaxLength, `每条消息不能超过 ${chatLimits.contentMaxLength} 个字符`),
  })
  .meta({ id: "ChatMessage" });
export type ChatMessage = z.infer<typeof ZChatMessage>;

export const ZCatChatRequest = z.object({
  messages: z.array(ZChatMessage).min(1, "请至少发送一条消息").max(chatLimits.messagesMax, `一次最多发送 ${chatLimits.messagesMax} 条消息`),
});
export type CatChatRequest = z.infer<typeof ZCatChatRequest>;

export const ZCatChatResponse = z
  .object({
    status: z.literal("success"),
    reply: z.string(),
  })
  .meta({ id: "CatChatResponse" });
export type CatChatResponse = z.infer<typeof ZCatChatResponse>;
