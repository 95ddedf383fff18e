import type { MailMessage } from "./mailer.js";

export type CodeEmailReason = "general" | "login";

const intro: Record<CodeEmailReason, string> = {
  general: "您正在注册 Ocean1 账号或重置密码。",
  login: "您的 Ocean1 账号正在一台新设备上登录。",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function verificationCodeEmail(to: string, code: string, reason: CodeEmailReason, validMinutes: number): MailMessage {
  const lines = [
    intro[reason],
    `您的验证码是：${code}`,
    `验证码 ${validMinutes} 分钟内有效，只能使用一次。`,
    "如果这不是您本人的操作，请忽略本邮件，并考虑修改密码。",
  ];
  const html = `<!doctype html><html lang="zh-CN"><body style="font-family:sans-serif">
<p>${escapeHtml(lines[0] ?? "")}</p>
<p>您的验证码是：<strong style="font-size:24px;letter-spacing:4px">${escapeHtml(code)}</strong></p>
<p>${escapeHtml(lines[2] ?? "")}</p>
<p style="color:#888">${escapeHtml(lines[3] ?? "")}</p>
</body></html>`;
  return { to, subject: `Ocean1 验证码：${code}`, text: lines.join("\n"), html };
}
