import type { SendCodeRequest, SendCodeResponse } from "@ocean1/contract";
import type { AppDeps } from "../../deps.js";
import type { ClientInfo } from "./client.js";
import { sendVerificationCode } from "./code-mail.js";

/** The same answer for any address, registered or not: the code in the mailbox is the only proof. */
export async function sendCode(deps: AppDeps, input: SendCodeRequest, client: ClientInfo): Promise<SendCodeResponse> {
  await sendVerificationCode(deps, { email: input.email, purpose: "general", deviceHash: null, ip: client.ip });
  return { status: "success", msg: "邮件已发送" };
}
