import { type ErrorCode, errorMessages, type FieldIssue } from '@zyt/shared';

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
