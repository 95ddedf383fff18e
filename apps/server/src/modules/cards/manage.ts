import { displayText } from "@ocean1/contract";
import { z } from "zod";
import type { AppDeps } from "../../deps.js";
import type { CardKey } from "../../db/schema.js";
import { AppError } from "../../errors/app-error.js";
import { validated } from "../../lib/validate.js";
import { generateCardKey, hashCardKey, normaliseCardKey } from "./card-key.js";
import { disableUnredeemedCardKey, findCardKey, insertCardKeys, listCardKeys, type CardKeyListing } from "./queries.js";

export const cardLimits = { maxPoints: 1_000_000, maxCount: 10_000, maxBatchLength: 64 } as const;

/** The rules of a new key, shared by the service and the operator CLI (one rule, one message). */
const wholeNumberIn = (min: number, max: number, message: string) =>
  z.number({ error: message }).int(message).min(min, message).max(max, message);
export const ZCardPoints = wholeNumberIn(1, cardLimits.maxPoints, `卡密积分应为 1 到 ${cardLimits.maxPoints} 的整数`);
export const ZCardCount = wholeNumberIn(1, cardLimits.maxCount, `卡密数量应为 1 到 ${cardLimits.maxCount} 的整数`);
/** Shown in `cards list`: no control characters (terminal escapes) or invisible ones. */
export const ZCardBatch = displayText("批次标签", cardLimits.maxBatchLength);
/** Rows per INSERT, well under PostgreSQL's 65,535 bind parameters. */
const insertChunk = 1_000;

export interface CreateCardKeysRequest {
  points: number;
  count: number;
  expiresAt: Date | null;
  batch: string | null;
}

/** The one moment a key exists in clear: the operator must keep it, the database only has its hash. */
export interface CreatedCardKey {
  id: number;
  card_key: string;
  points: number;
  batch: string | null;
  expires_at: Date | null;
}

type CardDeps = Pick<AppDeps, "db" | "secret" | "clock">;

function checkCreateRequest(request: CreateCardKeysRequest, now: Date): CreateCardKeysRequest {
  const { expiresAt } = request;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new AppError("VALIDATION", "卡密过期时间必须晚于现在");
  return {
    points: validated(ZCardPoints, request.points, "points"),
    count: validated(ZCardCount, request.count, "count"),
    expiresAt,
    batch: request.batch === null ? null : validated(ZCardBatch, request.batch, "batch"),
  };
}

/** Creates `count` keys in one transaction: all of them or none. */
export async function createCardKeys(deps: CardDeps, request: CreateCardKeysRequest): Promise<CreatedCardKey[]> {
  const now = deps.clock.now();
  const { points, count, batch, expiresAt } = checkCreateRequest(request, now);
  return deps.db.transaction().execute(async (trx) => {
    const created: CreatedCardKey[] = [];
    // A hash collision (about 2^-60 per pair) is skipped by the insert and simply replaced.
    while (created.length < count) {
      const keysByHash = new Map<string, string>();
      const wanted = Math.min(count - created.length, insertChunk);
      while (keysByHash.size < wanted) {
        const key = generateCardKey();
        keysByHash.set(hashCardKey(deps.secret, key), key);
      }
      const rows = await insertCardKeys(
        trx,
        [...keysByHash.keys()].map((keyHash) => ({ keyHash, points, batch, expiresAt, createdAt: now })),
      );
      for (const row of rows) {
        const key = keysByHash.get(row.key_hash);
        if (key === undefined) throw new Error("card key insert answered an unknown hash");
        created.push({ id: row.id, card_key: key, points, batch, expires_at: expiresAt });
      }
    }
    return created.sort((a, b) => a.id - b.id);
  });
}

export function listCards(deps: Pick<AppDeps, "db">, filter: { batch?: string | undefined } = {}): Promise<CardKeyListing[]> {
  return listCardKeys(deps.db, filter);
}

/** A key as the operator names it: the key itself, or the id shown by `cards list`. */
export type CardKeyReference = { id: number } | { key: string };

export interface DisabledCardKey {
  card: CardKey;
  alreadyDisabled: boolean;
}

async function findReferencedCard(deps: CardDeps, reference: CardKeyReference): Promise<CardKey> {
  if ("id" in reference) {
    const card = await findCardKey(deps.db, { id: reference.id });
    if (!card) throw new AppError("CARD_INVALID", `卡密不存在：id ${reference.id}`);
    return card;
  }
  const key = normaliseCardKey(reference.key);
  const card = key ? await findCardKey(deps.db, { keyHash: hashCardKey(deps.secret, key) }) : undefined;
  if (!card) throw new AppError("CARD_INVALID", "卡密不存在");
  return card;
}

/** Disables a key that nobody has redeemed; disabling it again changes nothing. */
export async function disableCardKey(deps: CardDeps, reference: CardKeyReference): Promise<DisabledCardKey> {
  const card = await findReferencedCard(deps, reference);
  const disabled = await disableUnredeemedCardKey(deps.db, card.id, deps.clock.now());
  if (disabled) return { card: disabled, alreadyDisabled: false };
  // Redeemed or disabled meanwhile: answer from the row as it is now.
  const current = (await findCardKey(deps.db, { id: card.id })) ?? card;
  if (current.redeemed_at) {
    throw new AppError("CARD_USED", `卡密 id ${card.id} 已于 ${current.redeemed_at.toISOString()} 被使用，无法停用`);
  }
  return { card: current, alreadyDisabled: true };
}
