import type { ChatProvider } from "../provider.js";
import { completeChat } from "./client.js";

/** Any OpenAI-compatible `/v1/chat/completions` (CHAT_BASE_URL, CHAT_MODEL), asked without streaming. */
export const openAiChat: ChatProvider = { name: "openai-chat", complete: completeChat };
