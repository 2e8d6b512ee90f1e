// HTTP helper for the forms that post updates and comments: a submitForm that also brings the form
// back on a flood (429) with the message beside the text.
import type { FastifyReply } from 'fastify'
import { InvalidError } from '../errors.js'
import { RateLimitedError } from './posting.js'
import { logRefusal } from '../web/refusals.js'

/**
 * Runs an action; on bad input (422) or a flood (429) re-renders `view` with the errors and the input.
 * `data` builds the page around the form, only when it is needed.
 */
export async function submitPosting<V>(
  reply: FastifyReply, view: string, values: V, data: () => Promise<Record<string, unknown>>, action: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await action()
    return true
  } catch (err) {
    if (!(err instanceof InvalidError) && !(err instanceof RateLimitedError)) throw err
    if (err instanceof RateLimitedError) logRefusal(reply.request, 429, 'throttled')
    const html = await reply.viewAsync(view, { ...(await data()), form: { values, errors: err.fields } })
    reply.code(err.statusCode).send(html)
    return false
  }
}
