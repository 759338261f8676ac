import { type ErrorCode, ErrorResponse, errorMessages, type FieldIssue } from '@zyt/shared';

/** A failure the caller can understand: an HTTP status, a stable code, a message for people. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string = errorMessages[code],
    readonly details?: FieldIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = () => new AppError(404, 'NOT_FOUND');

/** Response schemas for the error statuses a route answers with (all share the one error shape). */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse])) as Record<S, typeof ErrorResponse>;
}
