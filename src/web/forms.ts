// Helpers for HTML forms: a form with mistakes comes back (422) with each message beside its field
// and everything the user typed still in it.
import type { FastifyReply } from 'fastify'
import { InvalidError, type FieldErrors } from '../errors.js'

export interface FormState<V> {
  values: V
  errors: FieldErrors
}

export function emptyForm<V>(values: V): FormState<V> {
  return { values, errors: {} }
}

/** Runs an action; on InvalidError re-renders the page with the errors and the input. */
export async function submitForm<V>(
  reply: FastifyReply,
  view: string,
  values: V,
  data: Record<string, unknown>,
  action: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await action()
    return true
  } catch (err) {
    if (!(err instanceof InvalidError)) throw err
    const html = await reply.viewAsync(view, { ...data, form: { values, errors: err.fields } })
    reply.code(422).send(html)
    return false
  }
}

/** Reads a checkbox from a url-encoded body. */
export function checked(v: unknown): boolean {
  return v === 'on' || v === '1' || v === 'true' || (Array.isArray(v) && v.length > 0)
}

export type { FieldErrors }
