import { formatCount } from "../server/shared/format.ts";

/** A share as "about 8 in 10", the way a person says a rate out loud. */
export function sayInTen(share: number): string {
  const tenths = Math.round(share * 10);
  if (tenths <= 0) return share > 0 ? "fewer than 1 in 10" : "none";
  if (tenths >= 10) return share >= 0.995 ? "all" : "nearly all";
  return `about ${tenths} in 10`;
}

/** "about 3 sales a day", or for fewer than one a day "about one sale every 2 days". */
export function sayPerDay(perDay: number): string {
  if (perDay <= 0) return "no sales";
  if (perDay < 0.75) return `about one sale every ${formatCount(Math.round(1 / perDay))} days`;
  const whole = Math.round(perDay);
  return `about ${formatCount(whole)} sale${whole === 1 ? "" : "s"} a day`;
}
