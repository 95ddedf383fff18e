import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface TestSmtp {
  url: string;
  messages: ReceivedMail[];
  /** Every message sent to `to` so far. */
  to(to: string): ReceivedMail[];
  /**
   * The verification code of the newest message to `to`, waiting briefly for one to arrive; with
   * `after`, for a message beyond the first `after` ones (a code sent after that count was taken).
   */
  latestCode(to: string, after?: number): Promise<string>;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          for (const recipient of session.envelope.rcptTo) {
            messages.push({
              to: recipient.address,
              subject: mail.subject ?? "",
              text: mail.text ?? "",
              html: typeof mail.html === "string" ? mail.html : "",
            });
          }
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  const to = (address: string) => messages.filter((m) => m.to === address);
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to,
    async latestCode(address, after = 0) {
      for (let i = 0; i < 100; i++) {
        const received = to(address);
        const code = received.length > after ? received.at(-1)?.text.match(/\b(\d{6})\b/)?.[1] : undefined;
        if (code) return code;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no code was mailed to ${address}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
