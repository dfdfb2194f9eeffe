import { getTRPCErrorFromUnknown } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Logger } from "../log.ts";
import { errorBody } from "./error_body.ts";

/** What an error answer needs to know of its request. */
export interface ErrorRequest {
  method: string;
  url: string;
  requestId?: string;
}

/**
 * trpc-to-openapi answers errors as `{message, code, issues, data}` with zod's raw issues (and a
 * generic "Input validation failed"); we answer one shape everywhere, with a message naming the
 * bad fields, and never anything from the server's internals.
 */
export interface RawError {
  code?: string;
  message?: string;
  issues?: { path?: PropertyKey[]; message?: string }[];
  data?: { path?: string };
}

/** The documented error answer for a raw trpc-to-openapi-style error, with the request id. */
export function errorAnswer(
  request: ErrorRequest,
  status: number,
  raw: RawError,
  headers: Headers,
): Response {
  let code = raw.code ?? "INTERNAL_SERVER_ERROR";
  let message = raw.message ?? "Request failed";
  let issues: { path: string; message: string }[] | undefined;
  if (code === "BAD_REQUEST" && Array.isArray(raw.issues)) {
    issues = raw.issues.map((issue) => ({
      path: (issue.path ?? []).map(String).join("."),
      message: issue.message ?? "Invalid value",
    }));
    message = `Invalid input: ${
      issues.slice(0, 5).map((issue) => issue.path ? `${issue.path}: ${issue.message}` : issue.message).join(
        "; ",
      )
    }`;
  } else if (code === "PARSE_ERROR") {
    code = "BAD_REQUEST";
    message = "The request body is not valid JSON";
  } else if (code === "NOT_FOUND" && !raw.data?.path) {
    message = `No route for ${request.method} ${new URL(request.url).pathname}`;
  } else if (status >= 500 && code !== "SERVICE_UNAVAILABLE") {
    message = "Something went wrong on our side";
  }
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(
    JSON.stringify(errorBody(status, code, message, request.requestId, issues)),
    {
      status,
      headers,
    },
  );
}

/**
 * The documented error answer of a procedure called directly (not through trpc-to-openapi), logged
 * like the general path logs it when it is our fault.
 */
export function procedureErrorResponse(
  request: ErrorRequest,
  cause: unknown,
  path: string,
  log: Logger,
  headers: [string, string][],
): Response {
  const error = getTRPCErrorFromUnknown(cause);
  if (error.code === "INTERNAL_SERVER_ERROR") {
    log.error("procedure failed", { path, via: "rest", error: error.cause ?? error });
  }
  const zodIssues = error.code === "BAD_REQUEST" && error.cause instanceof Error &&
      error.cause.name === "ZodError"
    ? (error.cause as unknown as { issues: RawError["issues"] }).issues
    : undefined;
  return errorAnswer(request, getHTTPStatusCodeFromError(error), {
    code: error.code,
    message: error.message,
    issues: zodIssues,
    data: { path },
  }, new Headers(headers));
}
