// What a notification says, for each kind of contact point. Pure: alerts in, bodies out.

export interface NotifiedAlert {
  id: number;
  severity: string;
  type: string;
  status: string;
  title: string;
  message: string;
  createdAt: Date;
  labels: Record<string, string>;
}

export interface Notification {
  /** "test" for a contact point's send test */
  event: "alert.notification" | "test";
  groupKey: string;
  alerts: NotifiedAlert[];
  /** link back to the Alerts page when PUBLIC_URL is set */
  alertsUrl?: string;
}

export function notificationTitle(n: Notification): string {
  if (n.event === "test") return "TechMart test notification";
  const first = n.alerts[0];
  const more = n.alerts.length > 1 ? ` (+${n.alerts.length - 1} more)` : "";
  return `[${first?.severity.toUpperCase() ?? "ALERT"}] ${first?.title ?? "Alert"}${more}`;
}

/** The signed JSON body a webhook contact point receives. */
export function webhookPayload(n: Notification): string {
  return JSON.stringify({
    event: n.event,
    groupKey: n.groupKey,
    title: notificationTitle(n),
    alerts: n.alerts.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })),
  });
}

const severityEmoji: Record<string, string> = {
  critical: ":red_circle:",
  high: ":large_orange_circle:",
  medium: ":large_yellow_circle:",
  low: ":large_blue_circle:",
  info: ":white_circle:",
};

/** Escapes the three characters Slack's mrkdwn treats as markup. */
function slackText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** A Slack incoming-webhook body: a fallback `text` and message blocks, one section per alert. */
export function slackPayload(n: Notification): string {
  const title = notificationTitle(n);
  const blocks: unknown[] = [{ type: "header", text: { type: "plain_text", text: title.slice(0, 150) } }];
  if (n.event === "test") {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: "This contact point works." } });
  }
  for (const alert of n.alerts.slice(0, 20)) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: `${severityEmoji[alert.severity] ?? ""} *${slackText(alert.title)}*\n${
          slackText(alert.message)
        }`.slice(
          0,
          3000,
        ),
      },
    });
    blocks.push({
      type: "context",
      elements: [{
        type: "mrkdwn",
        text: slackText(Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join("  ")) || " ",
      }],
    });
  }
  if (n.alertsUrl) {
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open alerts" }, url: n.alertsUrl }],
    });
  }
  return JSON.stringify({ text: title, blocks });
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll(
    '"',
    "&quot;",
  );
}

/** Subject, plain text and HTML of the email a notification becomes. */
export function emailContent(n: Notification): { subject: string; text: string; html: string } {
  const subject = notificationTitle(n);
  const lines = n.event === "test"
    ? ["This contact point works."]
    : n.alerts.map((a) => `- [${a.severity}] ${a.title}${a.message ? `: ${a.message}` : ""}`);
  const text = [subject, "", ...lines, ...(n.alertsUrl ? ["", n.alertsUrl] : [])].join("\n");
  const rows = n.alerts.map((a) =>
    `<tr><td>${escapeHtml(a.severity)}</td><td>${escapeHtml(a.title)}</td><td>${
      escapeHtml(a.message)
    }</td></tr>`
  ).join("");
  const html = `<h2>${escapeHtml(subject)}</h2>` +
    (n.event === "test" ? "<p>This contact point works.</p>" : "") +
    (rows ? `<table><tr><th>Severity</th><th>Alert</th><th>Details</th></tr>${rows}</table>` : "") +
    (n.alertsUrl ? `<p><a href="${escapeHtml(n.alertsUrl)}">Open alerts</a></p>` : "");
  return { subject, text, html };
}
