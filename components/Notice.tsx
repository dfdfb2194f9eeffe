/** The outcome of an island's last action: a success notice or an error. */
export interface NoticeMessage {
  kind: "ok" | "error";
  text: string;
}

/**
 * Shows an action's outcome: a success as a polite `status`, an error as an `alert` so screen readers
 * announce it at once. Renders nothing before the first action. This is the fraud and admin pages'
 * look (`notice` / `form-error`); forms elsewhere use `FormMessage` from Field.tsx, whose classes and
 * test ids differ, so the two stay apart until one look is chosen for both.
 */
export function Notice({ message }: { message: NoticeMessage | null }) {
  if (!message) return null;
  return (
    <p
      class={message.kind === "ok" ? "notice" : "form-error"}
      role={message.kind === "ok" ? "status" : "alert"}
    >
      {message.text}
    </p>
  );
}
