import { z } from "zod";
import { pageLimit, ZEmail } from "./common.js";

export const ZHeartbeatRequest = z.object({ email: ZEmail });
export type HeartbeatRequest = z.infer<typeof ZHeartbeatRequest>;

export const ZHeartbeatResponse = z
  .object({
    status: z.enum(["ok", "rejected"]),
    has_reward: z.boolean().optional(),
  })
  .meta({ id: "HeartbeatResponse" });
export type HeartbeatResponse = z.infer<typeof ZHeartbeatResponse>;

export const ledgerTypes = ["register", "recharge", "consume", "refund", "reward", "invite", "adjust"] as const;
export const ZLedgerType = z.enum(ledgerTypes);
export type LedgerType = z.infer<typeof ZLedgerType>;

export const ZHistoryRecord = z
  .object({
    id: z.number().int(),
    type: ZLedgerType,
    amount: z.number().int(),
    balance_after: z.number().int(),
    description: z.string(),
    created_at: z.iso.datetime().meta({ example: "2026-02-12T10:00:00.000Z" }),
  })
  .meta({ id: "HistoryRecord" });
export type HistoryRecord = z.infer<typeof ZHistoryRecord>;

export const historyPageSize = { default: 50, max: 200 } as const;

export const ZGetHistoryRequest = z.object({
  limit: pageLimit(historyPageSize.max).optional(),
  before: z
    .number("起始记录编号应为数字")
    .int("起始记录编号应为整数")
    .min(1, "起始记录编号应为正整数")
    .optional()
    .meta({ description: "Return rows older than this row id" }),
});
export type GetHistoryRequest = z.infer<typeof ZGetHistoryRequest>;

export const ZGetHistoryResponse = z
  .object({
    status: z.literal("success"),
    data: z.array(ZHistoryRecord),
  })
  .meta({ id: "HistoryResponse" });
export type GetHistoryResponse = z.infer<typeof ZGetHistoryResponse>;
