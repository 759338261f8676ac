import { type ErrorCode, errorMessages, type FieldIssue } from '@zyt/shared';

/**
 * Every failed request becomes an ApiError: the server's stable `code`, a Chinese message the person can
 * act on, and per-field issues for forms.
 */
export class ApiError extends Error {
  readonly code: string;
  /** HTTP status; 0 when the server was never reached. */
  readonly status: number;
  /** Per-field issues: `field` is the form field's name, `path` the server's full path (e.g. `items.3.phone`). */
  readonly details: (FieldIssue & { path?: string })[];

  constructor(code: string, message: string, status = 0, details: (FieldIssue & { path?: string })[] = []) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** The message for one form field, if the server sent one. */
  fieldMessage(field: string): string | undefined {
    return this.details.find((issue) => issue.field === field)?.message;
  }
}

const HAN = /[\u4e00-\u9fff]/;

/** A server message is shown as is only when it is written for people (Chinese), not a framework default. */
const readable = (message: unknown): message is string => typeof message === 'string' && HAN.test(message);

export function messageForCode(code: string): string {
  return errorMessages[code as ErrorCode] ?? errorMessages.INTERNAL;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && status < 500) return 'VALIDATION_FAILED';
  return 'INTERNAL';
}

interface WireError {
  code?: unknown;
  message?: unknown;
  details?: unknown;
}

function wireError(body: unknown): WireError | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null ? (error as WireError) : undefined;
}

/** The `code` of an error body, if it is one. */
export function errorCodeOf(body: unknown): string | undefined {
  const code = wireError(body)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Field paths may come as `idNumber`, `body.idNumber` or `/body/idNumber`: forms use the last segment. */
const fieldName = (path: string) => path.split(/[./]/).filter(Boolean).pop() ?? path;

export function toApiError(status: number, body: unknown): ApiError {
  const error = wireError(body);
  const code = typeof error?.code === 'string' ? error.code : codeForStatus(status);
  const fallback = messageForCode(code);
  const details = Array.isArray(error?.details)
    ? error.details
        .filter((d): d is { field: string; message?: unknown } => typeof d?.field === 'string')
        .map((d) => ({
          field: fieldName(d.field),
          path: d.field,
          message: readable(d.message) ? d.message : fallback,
        }))
    : [];
  return new ApiError(code, readable(error?.message) ? error.message : fallback, status, details);
}

export function networkError(): ApiError {
  return new ApiError('NETWORK', errorMessages.NETWORK);
}

/** Anything caught in a page, as an ApiError (unexpected exceptions read as "system busy"). */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('INTERNAL', errorMessages.INTERNAL);
}
