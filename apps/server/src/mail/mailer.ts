import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type { Logger } from "../logger.js";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Sends through SMTP (`smtp://user:pass@host:port`, `smtps://` for TLS). */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close: () => transport.close(),
  };
}

/**
 * Development mailer: nothing leaves the machine. Each message is printed to the log and kept
 * as a file in the outbox folder, so a developer can read the codes.
 */
export function createOutboxMailer(outboxDir: string, logger: Logger): Mailer {
  let sequence = 0;
  return {
    async send(message) {
      await mkdir(outboxDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      // Named by time and a hash of the address: any valid address (up to 254 characters) fits in a file name.
      const recipient = createHash("sha256").update(message.to).digest("hex").slice(0, 12);
      const file = path.join(outboxDir, `${stamp}-${++sequence}-${recipient}.txt`);
      await writeFile(file, `To: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n`);
      logger.info(
        { mail: { to: message.to, subject: message.subject, file }, text: message.text },
        "mail kept in the outbox (SMTP_URL unset)",
      );
    },
    close: () => {},
  };
}
