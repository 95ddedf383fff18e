import { getHistory, heartbeat, redeemCard, type HeartbeatResponse, type HistoryResponse, type RedeemCardResponse } from "@ocean1/client";
import { useEffect, useState } from "react";
import { useAction } from "../use-action";
import { Answer } from "./Answer";

const typeNames: Record<string, string> = {
  register: "注册赠送",
  recharge: "卡密充值",
  consume: "消费",
  refund: "退款",
  reward: "每日奖励",
  invite: "邀请奖励",
  adjust: "人工调整",
};

/** 余额与流水（最新余额 = data[0].balance_after）、心跳、卡密充值。 */
export function Account({ email, onKicked, refreshKey }: { email: string; onKicked: () => void; refreshKey: number }) {
  const history = useAction<HistoryResponse>();
  const beat = useAction<HeartbeatResponse>();
  const redeem = useAction<RedeemCardResponse>();
  const [cardKey, setCardKey] = useState("");

  async function sendHeartbeat() {
    const answer = await beat.run(() => heartbeat(email));
    if (answer?.status === "rejected") onKicked();
  }

  async function submitCard() {
    const answer = await redeem.run(() => redeemCard(email, cardKey));
    if (answer?.status === "success") void history.run(() => getHistory());
  }

  useEffect(() => {
    void history.run(() => getHistory());
  }, [email, refreshKey]);

  const rows = history.answer?.data ?? [];
  const balance = rows[0]?.balance_after ?? 0;
  return (
    <section>
      <h2>账户</h2>
      <p>
        当前余额：<strong data-testid="balance">{balance}</strong> 积分
        <button onClick={() => void history.run(() => getHistory())}>刷新</button>
      </p>
      <p>
        <button data-testid="heartbeat" onClick={() => void sendHeartbeat()}>
          发送心跳
        </button>
        {beat.answer ? (
          <span data-testid="heartbeat-status">
            {" "}
            心跳：{beat.answer.status}
            {beat.answer.has_reward ? "（获得每日奖励）" : ""}
          </span>
        ) : null}
      </p>
      <h3>卡密充值</h3>
      <label>
        卡密 <input data-testid="card-key" placeholder="XXXX-XXXX-XXXX" value={cardKey} onChange={(e) => setCardKey(e.target.value)} />
      </label>
      <button data-testid="redeem" disabled={redeem.busy} onClick={() => void submitCard()}>
        充值
      </button>
      <Answer state={redeem} testId="redeem-answer" />
      <h3>交易记录</h3>
      <Answer state={history} testId="history-answer" />
      <table data-testid="history">
        <thead>
          <tr>
            <th>时间</th>
            <th>类型</th>
            <th>变动</th>
            <th>余额</th>
            <th>说明</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{new Date(row.created_at).toLocaleString("zh-CN")}</td>
              <td>{typeNames[row.type] ?? row.type}</td>
              <td>{row.amount > 0 ? `+${row.amount}` : row.amount}</td>
              <td>{row.balance_after}</td>
              <td>{row.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
