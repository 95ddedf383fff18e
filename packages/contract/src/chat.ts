import { z } from "zod";
import { ZFreeText } from "./common.js";

export const chatLimits = { messagesMax: 50, contentMaxLength: 4000 } as const;

export const ZChatMessage = z
  .object({
    role: z.enum(["user", "assistant", "system"]),
    content: ZFreeText.min(1).max(chatLimits.contentMaxLength),
  })
  .meta({ id: "ChatMessage" });
export type ChatMessage = z.infer<typeof ZChatMessage>;

export const ZCatChatRequest = z.object({
  messages: z.array(ZChatMessage).min(1).max(chatLimits.messagesMax),
});
export type CatChatRequest = z.infer<typeof ZCatChatRequest>;

export const ZCatChatResponse = z
  .object({
    status: z.literal("success"),
    reply: z.string(),
  })
  .meta({ id: "CatChatResponse" });
export type CatChatResponse = z.infer<typeof ZCatChatResponse>;
