export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Building an Intl formatter costs far more than using one, and heartbeats ask on every beat. */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (`YYYY-MM-DD`) of `at` in an IANA time zone. */
export function calendarDay(at: Date, timeZone: string): string {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter.format(at);
}
