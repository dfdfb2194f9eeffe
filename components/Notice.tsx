/** The outcome of an island's last action: a success notice or an error. */
export interface NoticeMessage {
  kind: "ok" | "error";
  text: string;
}

/**
 * Shows an action's outcome: a success as a polite `status`, an error as an `alert` so screen readers
 * announce it at once. Renders nothing before the first action.
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
