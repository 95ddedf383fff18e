// Calls written exactly as the frontend's callers of api.ts write them; only the import changed.
import {
  bananaCreate,
  catChat,
  getHistory,
  heartbeat,
  jimengImageCreate,
  jimengVideoCreate,
  login,
  loginVerify,
  logout,
  queryResult,
  redeemCard,
  register,
  resetPassword,
  sendCode,
  soraCreate,
  type ApiResponse,
  type ChatMessage,
  type GenerationResult,
  type UserData,
} from "@ocean1/client";

export async function page(email: string, file: File | undefined): Promise<string[]> {
  const shown: string[] = [];
  const res = await login(email, "password");
  if (res.status === "success" && res.data) {
    const user: UserData = res.data;
    shown.push(`${user.nickname} ${user.points}`);
  } else if (res.status === "NEED_VERIFY") {
    const verified = await loginVerify(email, "123456");
    shown.push(verified.msg ?? "");
  } else {
    shown.push(res.msg ?? "登录失败");
  }
  const points = res.data?.points ?? 0;
  shown.push(String(points));

  const reg: ApiResponse = await register(email, "password", "Billy", "", "123456");
  shown.push(reg.status === "success" ? "ok" : (reg.msg ?? ""));
  await sendCode(email);
  await resetPassword(email, "new_password", "123456");

  const hb = await heartbeat(email);
  if (hb.status === "rejected") logout();
  if (hb.has_reward) shown.push("reward");

  const history = await getHistory();
  const balance = history.data?.[0]?.balance_after ?? 0;
  shown.push(String(balance));
  history.data?.forEach((row) => shown.push(`${row.type} ${row.amount} ${row.created_at}`));

  const redeemed = await redeemCard(email, "XXXX-XXXX-XXXX");
  if (redeemed.status === "success") shown.push(String(redeemed.new_points));

  const task = await soraCreate("A cat on the beach", "sora-2", "16:9", 5);
  const image = await bananaCreate("A sunset", "banana-v1", "1024x1024", "1:1", "https://example.com/a.png");
  const generic: ApiResponse[] = [task, image];
  const id = (task.data as { id: string } | undefined)?.id ?? "";
  const result = await queryResult(id);
  const generation: GenerationResult | undefined = result.data;
  if (result.data?.status === "completed") shown.push(result.data.result_url ?? "");
  shown.push(String(generation?.progress), String(generic.length));

  await jimengVideoCreate({ prompt: "a cat", model: "jimeng-video-3.0", ratio: "16:9" });
  await jimengImageCreate({ prompt: "a cat", ratio: "1:1" }, file);

  const messages: ChatMessage[] = [{ role: "user", content: "你好呀" }];
  const chat = await catChat(messages);
  shown.push(chat.reply ?? chat.msg ?? "");
  return shown;
}
