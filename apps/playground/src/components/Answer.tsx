import type { ActionState } from "../use-action";

/** The answer of a call as the user would see it, and the raw JSON for the developer. */
export function Answer({
  state,
  testId,
}: {
  state: ActionState<{ status: string; msg?: string | undefined; code?: string | undefined }>;
  testId: string;
}) {
  if (state.busy) return <p className="answer pending">请求中…</p>;
  if (state.error)
    return (
      <p className="answer failed" data-testid={testId}>
        网络错误：{state.error}
      </p>
    );
  if (!state.answer) return null;
  const { status, msg, code } = state.answer;
  const failed = status === "failed";
  return (
    <div className={`answer ${failed ? "failed" : "ok"}`} data-testid={testId}>
      <strong>{status}</strong>
      {msg ? ` · ${msg}` : ""}
      {code ? <code> ({code})</code> : null}
      <details>
        <summary>原始返回</summary>
        <pre>{JSON.stringify(state.answer, null, 2)}</pre>
      </details>
    </div>
  );
}
