import { operations, type GetHistoryRequest } from "@ocean1/contract";
import type { Session } from "./session.js";
import { withTimeout } from "./timeout.js";
import { answerOf, type Trpc } from "./trpc.js";
import type { HeartbeatResponse, HistoryResponse, LoginResponse, MessageResponse, RedeemCardResponse } from "./types.js";

/** The version api.ts sends with every login. */
export const clientVersion = "1.0.0";

const timeoutOf = (name: keyof typeof operations) => operations[name].clientTimeoutMs;

/** Accounts, session and points: api.ts's auth, user and pay functions, over tRPC. */
export function accountCalls(trpc: Trpc, session: Session) {
  const signedIn = (email: string, answer: LoginResponse): LoginResponse => {
    // As api.ts: the email is kept only when the answer is a success with the user's data.
    if (answer.status === "success" && answer.data) session.rememberEmail(email);
    return answer;
  };

  return {
    async login(email: string, password: string): Promise<LoginResponse> {
      const input = { email, password, device_id: session.deviceId(), version: clientVersion };
      const answer = await withTimeout("login", timeoutOf("login"), (signal) => answerOf(trpc.login.mutate(input, { signal })));
      return signedIn(email, answer);
    },

    register(email: string, password: string, nickname: string, inviteCode: string, verifyCode: string): Promise<MessageResponse> {
      const input = { email, password, nickname, invite_code: inviteCode, verify_code: verifyCode };
      return withTimeout("register", timeoutOf("register"), (signal) => answerOf(trpc.register.mutate(input, { signal })));
    },

    sendCode(email: string): Promise<MessageResponse> {
      return withTimeout("sendCode", timeoutOf("sendCode"), (signal) => answerOf(trpc.sendCode.mutate({ email }, { signal })));
    },

    async loginVerify(email: string, code: string): Promise<LoginResponse> {
      const input = { email, code, device_id: session.deviceId() };
      const answer = await withTimeout("loginVerify", timeoutOf("loginVerify"), (signal) =>
        answerOf(trpc.loginVerify.mutate(input, { signal })),
      );
      return signedIn(email, answer);
    },

    resetPassword(email: string, newPassword: string, verifyCode: string): Promise<MessageResponse> {
      const input = { email, password: newPassword, verify_code: verifyCode };
      return withTimeout("resetPassword", timeoutOf("resetPassword"), (signal) => answerOf(trpc.resetPassword.mutate(input, { signal })));
    },

    heartbeat(email: string): Promise<HeartbeatResponse> {
      return withTimeout("heartbeat", timeoutOf("heartbeat"), (signal) => answerOf(trpc.heartbeat.mutate({ email }, { signal })));
    },

    /** Newest first; the balance is `data[0].balance_after`. Beyond api.ts: optional `limit` and `before` (a row id). */
    getHistory(page: GetHistoryRequest = {}): Promise<HistoryResponse> {
      return withTimeout("getHistory", timeoutOf("getHistory"), (signal) => answerOf(trpc.getHistory.query(page, { signal })));
    },

    /** Local only, as api.ts: forgets the email; the server session ends at the next login elsewhere or when idle. */
    logout(): void {
      session.forgetEmail();
    },

    redeemCard(email: string, cardKey: string): Promise<RedeemCardResponse> {
      const input = { email, card_key: cardKey };
      return withTimeout("redeemCard", timeoutOf("redeemCard"), (signal) => answerOf(trpc.redeemCard.mutate(input, { signal })));
    },
  };
}
