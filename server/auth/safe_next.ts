/**
 * The path to return to after sign-in: only a local path, so `?next=` can never send someone to
 * another site (`//evil.example`, `/\evil.example`, `https://...` all fall back to `/`).
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 2000) return "/";
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // Control characters and backslashes: browsers may read them as part of a host name
  if ([...next].some((char) => char.charCodeAt(0) < 32 || char === "\\")) return "/";
  if (next === "/login" || next.startsWith("/login?")) return "/";
  return next;
}
