/**
 * The `ref` of the ledger rows that charged and refunded one piece of paid work (DESIGN.md §6):
 * `task:<public id>` for a generation task, `chat:<call id>` for a cat chat, `card:<key id>` for a recharge. The ledger check and
 * the operator's views find a task's or a call's money by it.
 */
export const refPrefixes = { task: "task:", chat: "chat:", card: "card:" } as const;

export const taskRef = (publicId: string) => `${refPrefixes.task}${publicId}`;
export const chatRef = (callId: string) => `${refPrefixes.chat}${callId}`;
export const cardRef = (cardId: number) => `${refPrefixes.card}${cardId}`;
