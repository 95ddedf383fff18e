import { operations } from "@ocean1/contract";
import { publicMutation, router } from "../../trpc.js";
import { logIn } from "./login.js";
import { verifyLogin } from "./login-verify.js";
import { register } from "./register.js";
import { resetPassword } from "./reset-password.js";
import { sendCode } from "./send-code.js";

export const authRouter = router({
  login: publicMutation(operations.login, ({ ctx, input }) => logIn(ctx.deps, input, ctx.request)),
  register: publicMutation(operations.register, ({ ctx, input }) => register(ctx.deps, input, ctx.request)),
  sendCode: publicMutation(operations.sendCode, ({ ctx, input }) => sendCode(ctx.deps, input, ctx.request)),
  loginVerify: publicMutation(operations.loginVerify, ({ ctx, input }) => verifyLogin(ctx.deps, input)),
  resetPassword: publicMutation(operations.resetPassword, ({ ctx, input }) => resetPassword(ctx.deps, input)),
});
