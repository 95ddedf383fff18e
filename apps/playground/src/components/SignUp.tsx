import { register, sendCode, type MessageResponse } from "@ocean1/client";
import { useState } from "react";
import { useAction } from "../use-action";
import { Answer } from "./Answer";

/** 注册：先发送邮箱验证码，再带验证码注册。注册所用的设备会被信任，之后在本设备登录无需二次验证。 */
export function SignUp() {
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [nickname, setNickname] = useState("");
  const [inviteCode, setInviteCode] = useState("");
  const codeAction = useAction<MessageResponse>();
  const registerAction = useAction<MessageResponse>();

  return (
    <section>
      <h2>注册</h2>
      <label>
        邮箱 <input data-testid="signup-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <button data-testid="signup-send-code" disabled={codeAction.busy} onClick={() => void codeAction.run(() => sendCode(email))}>
        发送验证码
      </button>
      <Answer state={codeAction} testId="signup-code-answer" />
      <label>
        验证码 <input data-testid="signup-code" inputMode="numeric" value={code} onChange={(e) => setCode(e.target.value)} />
      </label>
      <label>
        密码 <input data-testid="signup-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label>
        昵称 <input data-testid="signup-nickname" value={nickname} onChange={(e) => setNickname(e.target.value)} />
      </label>
      <label>
        邀请码（可选） <input value={inviteCode} onChange={(e) => setInviteCode(e.target.value)} />
      </label>
      <button
        data-testid="signup-submit"
        disabled={registerAction.busy}
        onClick={() => void registerAction.run(() => register(email, password, nickname, inviteCode, code))}
      >
        注册
      </button>
      <Answer state={registerAction} testId="signup-answer" />
    </section>
  );
}
