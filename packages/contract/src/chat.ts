import { z } from "zod";

export const chatLimits = { messagesMax: 50, contentMaxLength: 4000 } as const;

export const chatRoles = ["user", "assistant", "system"] as const;

export const ZChatMessage = z
  .object({
    role: z.enum(chatRoles, { error: "消息角色应为 user、assistant 或 system" }),
    content: z
      .string({ error: "消息内容应为文本" })
      // PostgreSQL never sees it, but the upstream and the logs would: NUL is refused like elsewhere.
      .regex(/^[^\u0000]*$/, "消息内容不能包含空字符")
      .max(chatLimits.contentMaxLength, `单条消息不能超过 ${chatLimits.contentMaxLength} 个字符`)
      .refine((content) => content.trim().length > 0, "消息内容不能为空"),
  })
  .meta({ id: "ChatMessage" });
export type ChatMessage = z.infer<typeof ZChatMessage>;

export const ZCatChatRequest = z.object({
  messages: z
    .array(ZChatMessage, { error: (issue) => (issue.input === undefined ? "请填写消息" : "消息应为一个列表") })
    .min(1, "至少需要一条消息")
    .max(chatLimits.messagesMax, `一次最多发送 ${chatLimits.messagesMax} 条消息`)
    // The cat answers the user: a conversation that ends with its own words has nothing to answer.
    .refine((messages) => messages.length === 0 || messages.at(-1)?.role === "user", "最后一条消息应来自用户"),
});
export type CatChatRequest = z.infer<typeof ZCatChatRequest>;

export const ZCatChatResponse = z
  .object({
    status: z.literal("success"),
    reply: z.string(),
  })
  .meta({ id: "CatChatResponse" });
export type CatChatResponse = z.infer<typeof ZCatChatResponse>;
