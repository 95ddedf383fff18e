/**
 * Words in a prompt that steer the simulator (documented in docs/generation.md). Any other prompt
 * succeeds after a few seconds.
 */
export const steeringWords = {
  fail: "[fail]",
  moderation: "[moderation]",
  inputModeration: "[input-moderation]",
  slow: "[slow]",
  never: "[never]",
  reject: "[reject]",
  garbage: "[garbage]",
  hang: "[hang]",
  busy: "[busy]",
  violation: "[violation]",
  pollBusy: "[poll-busy]",
  notFound: "[not-found]",
  framed: "[framed]",
  submitError: "[submit-500]",
  expired: "[expired]",
} as const;

export type Steering = Record<keyof typeof steeringWords, boolean>;

export function steeringOf(prompt: unknown): Steering {
  const text = typeof prompt === "string" ? prompt.toLowerCase() : "";
  return Object.fromEntries(Object.entries(steeringWords).map(([name, word]) => [name, text.includes(word)])) as Steering;
}
