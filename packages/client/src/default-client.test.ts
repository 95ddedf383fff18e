import { afterEach, describe, expect, it, vi } from "vitest";
import { readEmailedCode } from "@ocean1/test-server";
import { configure, createMemoryStorage, createOcean1Client, getHistory, login, logout, register, sendCode, storageKeys } from "./index.js";
import { newEmail, password, server, signedUpUser } from "./test/accounts.js";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  configure({ baseUrl: undefined, storage: undefined });
});

describe("the top-level functions (the drop-in for api.ts)", () => {
  it("take the base URL from NEXT_PUBLIC_API_BASE_URL", async () => {
    vi.stubEnv("NEXT_PUBLIC_API_BASE_URL", server().url);
    configure({});
    expect(await sendCode("not-an-email")).toMatchObject({ status: "failed", code: "VALIDATION" });
  });

  it('are safe during server rendering: no window is touched, the device is "server", and the server\'s refusal is a value', async () => {
    expect(typeof window).toBe("undefined");
    configure({ baseUrl: server().url });
    const { email } = await signedUpUser();
    expect(await login(email, password)).toMatchObject({ status: "failed", code: "INVALID_DEVICE" });
  });

  it("keep the device id and the email in window.localStorage under api.ts's keys; logout forgets the email only", async () => {
    const localStorage = createMemoryStorage();
    vi.stubGlobal("window", { localStorage });
    configure({ baseUrl: server().url });
    const email = newEmail();

    await sendCode(email);
    expect(localStorage.getItem(storageKeys.deviceId)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await register(email, password, "小橘", "", await readEmailedCode(server(), email))).toMatchObject({ status: "success" });
    expect(localStorage.getItem(storageKeys.email)).toBeNull();
    expect(await login(email, password)).toMatchObject({ status: "success", data: { email } });
    expect(localStorage.getItem(storageKeys.email)).toBe(email);
    expect(await getHistory()).toMatchObject({ status: "success" });

    logout();
    expect(localStorage.getItem(storageKeys.email)).toBeNull();
    expect(localStorage.getItem(storageKeys.deviceId)).not.toBeNull();
    expect(await getHistory()).toMatchObject({ status: "failed", code: "UNAUTHENTICATED" });
  });
});

describe("what goes on the wire", () => {
  it("sends Content-Type: application/json on every call (the GET too), x-device-id always and x-user-email once logged in", async () => {
    const seen: Array<{ method: string; headers: Headers }> = [];
    const storage = createMemoryStorage();
    const recording = (input: string | URL | Request, init?: RequestInit) => {
      seen.push({ method: init?.method ?? "GET", headers: new Headers(init?.headers) });
      return fetch(input, init);
    };
    const client = createOcean1Client({ baseUrl: server().url, storage, fetch: recording });
    const { email } = await signedUpUser(client);
    await client.getHistory();

    expect(seen.map((request) => request.method)).toEqual(["POST", "POST", "POST", "GET"]);
    for (const { headers } of seen) {
      expect(headers.get("content-type")).toBe("application/json");
      expect(headers.get("x-device-id")).toBe(storage.getItem(storageKeys.deviceId));
    }
    expect(seen.slice(0, 3).map(({ headers }) => headers.get("x-user-email"))).toEqual([null, null, null]);
    expect(seen[3]?.headers.get("x-user-email")).toBe(email);
  });

  it('sends Sora with size "small" and the reference image as url, and Banana\'s as urls: [imgUrl]', async () => {
    const bodies: unknown[] = [];
    const recording = (input: string | URL | Request, init?: RequestInit) => {
      bodies.push(JSON.parse(String(init?.body)));
      return fetch(input, init);
    };
    const client = createOcean1Client({ baseUrl: server().url, storage: createMemoryStorage(), fetch: recording });
    await client.soraCreate("a cat", "sora-2", "16:9", 10, "https://example.com/cat.png");
    await client.bananaCreate("a cat", "nano-banana", "1024x1024", "1:1", "https://example.com/cat.png");
    await client.bananaCreate("a cat", "nano-banana", "1024x1024", "1:1");
    expect(bodies).toEqual([
      { model: "sora-2", prompt: "a cat", aspectRatio: "16:9", duration: 10, size: "small", url: "https://example.com/cat.png" },
      { model: "nano-banana", prompt: "a cat", imageSize: "1024x1024", aspectRatio: "1:1", urls: ["https://example.com/cat.png"] },
      { model: "nano-banana", prompt: "a cat", imageSize: "1024x1024", aspectRatio: "1:1" },
    ]);
  });

  it("uploads a Jimeng reference image as multipart: every payload key a string field, the file in image, only the two auth headers", async () => {
    let sent: { headers: Headers; body: unknown } | undefined;
    const capture = (_input: string | URL | Request, init?: RequestInit) => {
      sent = { headers: new Headers(init?.headers), body: init?.body };
      return Promise.resolve(Response.json({ status: "success", data: { id: "t1", status: "pending" } }));
    };
    const storage = createMemoryStorage({ [storageKeys.email]: "cat@example.com" });
    const client = createOcean1Client({ baseUrl: "http://api.invalid", storage, fetch: capture });
    const file = new File([new Uint8Array([137, 80, 78, 71])], "cat.png", { type: "image/png" });
    expect(await client.jimengImageCreate({ prompt: "a cat", ratio: "1:1", count: 2, skipped: undefined }, file)).toEqual({
      status: "success",
      data: { id: "t1", status: "pending" },
    });

    expect([...(sent?.headers.keys() ?? [])].sort()).toEqual(["x-device-id", "x-user-email"]);
    const form = sent?.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect([...form.keys()]).toEqual(["prompt", "ratio", "count", "image"]);
    expect(form.get("count")).toBe("2");
    expect((form.get("image") as File).name).toBe("cat.png");
  });
});
