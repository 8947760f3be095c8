// The one error contract. Domain code throws AppError (or a subclass); the route wrapper
// turns it into an RFC 9457 problem+json reply with the same status. Anything else becomes
// a generic 500 that leaks nothing and is logged with the request id.

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "concurrency.limit". */
  field: string;
  /** The rule it broke, in words. */
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    /** Stable machine-readable code, e.g. "trigger_locked". */
    readonly code: string,
    message: string,
    readonly extra: { errors?: FieldIssue[]; [key: string]: unknown } = {},
    /** Sent as Retry-After: the refusal is temporary (busy, full) and the request may succeed then. */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (message: string, errors?: FieldIssue[]) =>
  new AppError(400, "bad_request", message, errors ? { errors } : {});
export const validationFailed = (errors: FieldIssue[]) =>
  new AppError(422, "validation_failed", errors.map((e) => `${e.field}: ${e.message}`).join("; "), { errors });
export const unauthenticated = () => new AppError(401, "unauthenticated", "Sign in or send a valid Bearer token.");
export const forbidden = (message = "You do not have permission to do this.") => new AppError(403, "forbidden", message);
export const notFound = (what = "Resource") => new AppError(404, "not_found", `${what} not found.`);
export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new AppError(409, code, message, extra);

/** Too much waits already (a backlog cap): nothing was created; try again later. */
export const backlogFull = (message: string, extra: Record<string, unknown>, retryAfterS: number) =>
  new AppError(429, "backlog_full", message, extra, retryAfterS);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
