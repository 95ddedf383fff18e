import { publicProcedure, restOperation, router } from "../../trpc.js";
import { logIn } from "./login.js";
import { verifyLogin } from "./login-verify.js";
import { register } from "./register.js";
import { resetPassword } from "./reset-password.js";
import { sendCode } from "./send-code.js";

const login = restOperation("login");
const registerOp = restOperation("register");
const sendCodeOp = restOperation("sendCode");
const loginVerify = restOperation("loginVerify");
const resetPasswordOp = restOperation("resetPassword");

export const authRouter = router({
  login: publicProcedure
    .meta(login.meta)
    .input(login.input)
    .output(login.output)
    .mutation(({ ctx, input }) => logIn(ctx.deps, input, ctx.request)),
  register: publicProcedure
    .meta(registerOp.meta)
    .input(registerOp.input)
    .output(registerOp.output)
    .mutation(({ ctx, input }) => register(ctx.deps, input, ctx.request)),
  sendCode: publicProcedure
    .meta(sendCodeOp.meta)
    .input(sendCodeOp.input)
    .output(sendCodeOp.output)
    .mutation(({ ctx, input }) => sendCode(ctx.deps, input, ctx.request)),
  loginVerify: publicProcedure
    .meta(loginVerify.meta)
    .input(loginVerify.input)
    .output(loginVerify.output)
    .mutation(({ ctx, input }) => verifyLogin(ctx.deps, input)),
  resetPassword: publicProcedure
    .meta(resetPasswordOp.meta)
    .input(resetPasswordOp.input)
    .output(resetPasswordOp.output)
    .mutation(({ ctx, input }) => resetPassword(ctx.deps, input)),
});
