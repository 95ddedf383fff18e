import type { KeyValueStorage } from "./types.js";

/** The localStorage keys of api.ts: the same browser keeps its device and its login. */
export const storageKeys = { deviceId: "ocean1_device_id", email: "ocean1_user_email" } as const;

/** Where there is no storage (server rendering), api.ts names the device `"server"`; the server refuses it for sessions. */
export const serverDeviceId = "server";

/** The browser's localStorage, looked up at call time: importing the client on the server touches nothing. */
export function browserStorage(): KeyValueStorage | null {
  return typeof window === "undefined" ? null : window.localStorage;
}

/** A storage that lives as long as the object: tests, server-side use, several accounts in one process. */
export function createMemoryStorage(initial: Record<string, string> = {}): KeyValueStorage {
  const values = new Map(Object.entries(initial));
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

export interface Session {
  deviceId(): string;
  email(): string | null;
  rememberEmail(email: string): void;
  forgetEmail(): void;
}

/** The device id (made once, `crypto.randomUUID()`) and the logged-in email, in the given storage. */
export function createSession(storage: () => KeyValueStorage | null): Session {
  return {
    deviceId() {
      const store = storage();
      if (!store) return serverDeviceId;
      let id = store.getItem(storageKeys.deviceId);
      if (!id) {
        id = crypto.randomUUID();
        store.setItem(storageKeys.deviceId, id);
      }
      return id;
    },
    email: () => storage()?.getItem(storageKeys.email) ?? null,
    rememberEmail: (email) => storage()?.setItem(storageKeys.email, email),
    forgetEmail: () => storage()?.removeItem(storageKeys.email),
  };
}
