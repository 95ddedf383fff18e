import { hash, verify, type Algorithm } from "@node-rs/argon2";

/** `Algorithm.Argon2id`: a const enum, which isolated modules cannot read. */
const argon2id = 2 as Algorithm;

/** argon2id at OWASP's recommended minimum: 19 MiB, 2 iterations, 1 lane. */
const options = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** Always does the work of one verification, so an unknown email costs as much as a wrong password. */
const decoyHash = hash("ocean1 decoy password", options);

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  try {
    const matches = await verify(passwordHash ?? (await decoyHash), password);
    return matches && passwordHash !== undefined;
  } catch {
    return false;
  }
}
