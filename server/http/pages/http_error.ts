/** Thrown by a route's loader to answer with an error page: `throw new HttpError(404, "No product 42")`. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(readonly status: 400 | 401 | 403 | 404 | 409 | 429 | 500 | 503, message: string) {
    super(message);
  }
}
