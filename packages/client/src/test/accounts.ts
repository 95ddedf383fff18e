import { randomUUID } from "node:crypto";
import { readEmailedCode } from "@ocean1/test-server";
import { inject } from "vitest";
import { createMemoryStorage, createOcean1Client, type KeyValueStorage, type Ocean1Client } from "../index.js";

export const password = "correct horse battery";

export function server() {
  return inject("server");
}

/** A client of its own (its own storage: its own device), as one browser is. */
export function newDevice(storage: KeyValueStorage = createMemoryStorage()): Ocean1Client {
  return createOcean1Client({ baseUrl: server().url, storage });
}

export function newEmail(): string {
  return `client-${randomUUID().slice(0, 8)}@example.com`;
}

/** Signs up through the client with the code read from the outbox, then logs in (the device is trusted). */
export async function signedUpUser(client: Ocean1Client = newDevice()): Promise<{ client: Ocean1Client; email: string }> {
  const email = newEmail();
  const sent = await client.sendCode(email);
  if (sent.status !== "success") throw new Error(`sendCode: ${sent.msg}`);
  const code = await readEmailedCode(server(), email);
  const registered = await client.register(email, password, "测试猫", "", code);
  if (registered.status !== "success") throw new Error(`register: ${registered.msg}`);
  const login = await client.login(email, password);
  if (login.status !== "success") throw new Error(`login: ${login.status}`);
  return { client, email };
}
