/** A service's address (DATABASE_URL, REDIS_URL) as it may be shown in a message: a password in it is hidden. */
export function shownAddress(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.href;
  } catch {
    return "the address given";
  }
}
