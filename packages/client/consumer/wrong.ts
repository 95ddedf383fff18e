// Each call is wrong; the packaging test passes only if every one fails to compile.
import { catChat, createOcean1Client, heartbeat, isFailed, jimengVideoCreate, login, register, soraCreate } from "@ocean1/client";

export async function wrong(): Promise<void> {
  // @ts-expect-error a password is required
  await login("a@example.com");
  // @ts-expect-error the invite code and the verify code are strings
  await register("a@example.com", "password", "Billy", 123, 456);
  // @ts-expect-error duration is a number
  await soraCreate("a cat", "sora-2", "16:9", "5");
  // @ts-expect-error a Jimeng payload needs a prompt
  await jimengVideoCreate({ model: "jimeng-video-3.0" });
  // @ts-expect-error chat roles are user, assistant or system
  await catChat([{ role: "cat", content: "喵" }]);
  const hb = await heartbeat("a@example.com");
  // @ts-expect-error a heartbeat has no such status
  if (hb.status === "kicked") return;
  const answer = await login("a@example.com", "password");
  if (isFailed(answer)) {
    // @ts-expect-error the error code is typed: no such code
    if (answer.code === "NO_SUCH_CODE") return;
  }
  // @ts-expect-error the factory needs a base URL
  createOcean1Client({});
}
