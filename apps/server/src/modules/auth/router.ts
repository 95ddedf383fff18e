import { operations } from "@ocean1/contract";
import { publicOperation, router } from "../../trpc.js";
import { logIn } from "./login.js";
import { verifyLogin } from "./login-verify.js";
import { register } from "./register.js";
import { resetPassword } from "./reset-password.js";
import { sendCode } from "./send-code.js";

export const authRouter = router({
  login: publicOperation(operations.login).mutation(({ ctx, input }) => logIn(ctx.deps, input, ctx.request)),
  register: publicOperation(operations.register).mutation(({ ctx, input }) => register(ctx.deps, input, ctx.request)),
  sendCode: publicOperation(operations.sendCode).mutation(({ ctx, input }) => sendCode(ctx.deps, input, ctx.request)),
  loginVerify: publicOperation(operations.loginVerify).mutation(({ ctx, input }) => verifyLogin(ctx.deps, input)),
  resetPassword: publicOperation(operations.resetPassword).mutation(({ ctx, input }) => resetPassword(ctx.deps, input)),
});
