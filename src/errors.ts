// The domain's errors. Services throw these; the one error handler (src/web/error-handler.ts) maps
// them to pages. Queries never throw HTTP errors: they return undefined.
import type { MessageKey } from './web/i18n/index.js'

export type FieldErrors = Record<string, MessageKey>

export class NotFoundError extends Error {
  readonly statusCode = 404
  constructor(what = 'resource') {
    super(`${what} not found`)
    this.name = 'NotFoundError'
  }
}

export class ForbiddenError extends Error {
  readonly statusCode = 403
  constructor(reason = 'forbidden') {
    super(reason)
    this.name = 'ForbiddenError'
  }
}

/** The action does not fit the current state (e.g. approving a post that is not submitted). */
export class ConflictError extends Error {
  readonly statusCode = 409
  constructor(reason: string, readonly messageKey?: MessageKey) {
    super(reason)
    this.name = 'ConflictError'
  }
}

/** Bad input; fields maps a form field's name to the message shown beside it. */
export class InvalidError extends Error {
  readonly statusCode = 422
  constructor(readonly fields: FieldErrors) {
    super(`invalid input: ${Object.keys(fields).join(', ')}`)
    this.name = 'InvalidError'
  }
}
