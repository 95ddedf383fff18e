import { login, loginVerify, resetPassword, sendCode, type LoginResponse, type MessageResponse } from "@ocean1/client";
import { useState } from "react";
import { useAction } from "../use-action";
import { Answer } from "./Answer";

/**
 * 登录：受信任的设备直接成功；新设备返回 NEED_VERIFY，并向邮箱发送验证码，用 loginVerify 验证。
 * 成功后客户端把邮箱写入 localStorage（ocean1_user_email），之后的请求都带上 x-user-email。
 */
export function Login({ onLoggedIn }: { onLoggedIn: (email: string) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [needVerify, setNeedVerify] = useState(false);
  const loginAction = useAction<LoginResponse>();
  const resetCodeAction = useAction<MessageResponse>();
  const resetAction = useAction<MessageResponse>();

  async function submit(call: () => Promise<LoginResponse>) {
    const answer = await loginAction.run(call);
    if (answer?.status === "NEED_VERIFY") setNeedVerify(true);
    if (answer?.status === "success") {
      setNeedVerify(false);
      onLoggedIn(email);
    }
  }

  return (
    <section>
      <h2>登录</h2>
      <label>
        邮箱 <input data-testid="login-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        密码 <input data-testid="login-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button data-testid="login-submit" disabled={loginAction.busy} onClick={() => void submit(() => login(email, password))}>
        登录
      </button>
      {needVerify ? (
        <div className="verify">
          <p>这是一台新设备，验证码已发送到邮箱。</p>
          <label>
            验证码 <input data-testid="login-code" inputMode="numeric" value={code} onChange={(e) => setCode(e.target.value)} />
          </label>
          <button data-testid="login-verify" disabled={loginAction.busy} onClick={() => void submit(() => loginVerify(email, code))}>
            验证并登录
          </button>
        </div>
      ) : null}
      <Answer state={loginAction} testId="login-answer" />
      <details>
        <summary>忘记密码</summary>
        <button onClick={() => void resetCodeAction.run(() => sendCode(email))}>发送验证码到上面的邮箱</button>
        <Answer state={resetCodeAction} testId="reset-code-answer" />
        <label>
          验证码 <input value={code} onChange={(e) => setCode(e.target.value)} />
        </label>
        <label>
          新密码 <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button onClick={() => void resetAction.run(() => resetPassword(email, password, code))}>重置密码</button>
        <Answer state={resetAction} testId="reset-answer" />
      </details>
    </section>
  );
}
