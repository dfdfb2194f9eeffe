const headings: Record<number, string> = {
  403: "You do not have access to this page",
  404: "Page not found",
  429: "Too many requests",
  503: "Temporarily unavailable",
};

export interface ErrorPageProps {
  status: number;
  message: string;
}

/** The one error page: a status, a sentence the user can act on, and a way back. */
export default function ErrorPage({ status, message }: ErrorPageProps) {
  return (
    <section class="error-page" role="alert">
      <p class="error-status">{status}</p>
      <h2>{headings[status] ?? "Something went wrong"}</h2>
      <p>{message}</p>
      <p>
        <a href="/">Back to the dashboard</a>
      </p>
    </section>
  );
}
