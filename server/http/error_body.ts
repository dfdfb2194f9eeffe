/** The documented body of every REST error (and of the app's other JSON errors). */
export interface RestErrorBody {
  error: {
    /** a tRPC error code: BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_MANY_REQUESTS, ... */
    code: string;
    /** a sentence the caller can act on */
    message: string;
    /** for invalid input: each bad field's path (dots between segments) and what is wrong with it */
    issues?: { path: string; message: string }[];
    /** the X-Request-Id of the failed request, to find it in the logs (not on a 401: see `errorBody`) */
    requestId?: string;
  };
}

/**
 * The error body of an answer with `status`: the one shape of the REST bridge, the routes outside tRPC and
 * the fast lane. It carries the request id on every error but a 401: a 401 is the one answer the whole
 * internet gets (scanners, expired scripts), so it is the same bytes for everyone, its id only in the
 * X-Request-Id header that every answer has, and the fast lane answers it by copying one built answer.
 */
export function errorBody(
  status: number,
  code: string,
  message: string,
  requestId?: string,
  issues?: { path: string; message: string }[],
): RestErrorBody {
  const id = status === 401 ? undefined : requestId;
  return { error: { code, message, ...(issues ? { issues } : {}), ...(id ? { requestId: id } : {}) } };
}
