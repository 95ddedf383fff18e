import { z } from "zod";
import { fieldError, ZEmail } from "./common.js";

export const ZRedeemCardRequest = z.object({
  email: ZEmail,
  card_key: z.string(fieldError("请填写卡密", "卡密格式不正确")).max(64, "卡密不能超过 64 个字符").meta({ example: "K7QM-4XZP-9HTR" }),
});
export type RedeemCardRequest = z.infer<typeof ZRedeemCardRequest>;

export const ZRedeemCardResponse = z
  .object({
    status: z.literal("success"),
    msg: z.string(),
    new_points: z.number().int(),
  })
  .meta({ id: "RedeemCardResponse" });
export type RedeemCardResponse = z.infer<typeof ZRedeemCardResponse>;
