import { catChat, type CatChatResponse, type ChatMessage } from "@ocean1/client";
import { useState } from "react";
import { useAction } from "../use-action";
import { Answer } from "./Answer";

/** 猫猫对话：每次发送完整的对话历史；不带 system 消息时服务器使用默认的猫猫人设。 */
export function Chat({ onAnswered }: { onAnswered: () => void }) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [text, setText] = useState("");
  const chat = useAction<CatChatResponse>();

  async function send() {
    const next: ChatMessage[] = [...messages, { role: "user", content: text }];
    setMessages(next);
    setText("");
    const answer = await chat.run(() => catChat(next));
    if (answer?.status === "success") setMessages([...next, { role: "assistant", content: answer.reply }]);
    onAnswered(); // each call is charged (and refunded if the cat could not answer)
  }

  return (
    <section>
      <h2>猫猫聊天</h2>
      <ul className="chat" data-testid="chat-messages">
        {messages.map((message, index) => (
          <li key={index} className={message.role}>
            {message.role === "user" ? "我" : "猫猫"}：{message.content}
          </li>
        ))}
      </ul>
      <input data-testid="chat-input" value={text} placeholder="和猫猫说点什么" onChange={(e) => setText(e.target.value)} />
      <button data-testid="chat-send" disabled={chat.busy || !text} onClick={() => void send()}>
        发送
      </button>
      <Answer state={chat} testId="chat-answer" />
    </section>
  );
}
