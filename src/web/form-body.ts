// The one rule for text from every HTML form (application/x-www-form-urlencoded), applied while the
// body is parsed, before any schema or service sees it:
// - bytes that are not UTF-8 (raw, or percent-escaped like %80) refuse the request: a 400 page in the
//   reader's language, never a field holding "%80" or U+FFFD;
// - line endings become \n; C0 and C1 control characters other than tab and newline, and the
//   bidirectional overrides and isolates that make text display in another order, are removed;
// - text is Unicode NFC.
// Services count lengths in code points ([...s].length); schema caps (maxLength, also code points)
// are only a guard against junk and sit far above them.
import type { FastifyInstance } from 'fastify'

export class InvalidEncodingError extends Error {
  readonly statusCode = 400
  readonly code = 'BB_INVALID_ENCODING'
  constructor() {
    super('form body is not valid UTF-8')
  }
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** The text rule above, for one value (also usable by code that reads text from elsewhere). */
export function cleanFormText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROL, '').normalize('NFC')
}

// Passwords are taken exactly as typed: changing them would lock out a password set elsewhere.
const VERBATIM = /password/i

const utf8 = new TextDecoder('utf-8', { fatal: true })

function decode(component: string): string {
  const s = component.replace(/\+/g, ' ')
  if (!s.includes('%')) return s
  const bytes: number[] = []
  for (let i = 0; i < s.length; i++) {
    const hex = s.charCodeAt(i) === 37 ? s.slice(i + 1, i + 3) : ''
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else {
      for (const b of Buffer.from(s[i]!, 'utf8')) bytes.push(b) // a lone '%' stays a '%'
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes))
  } catch {
    throw new InvalidEncodingError()
  }
}

export function parseFormBody(body: Buffer): Record<string, string | string[]> {
  let text: string
  try {
    text = utf8.decode(body)
  } catch {
    throw new InvalidEncodingError()
  }
  const out: Record<string, string | string[]> = Object.create(null)
  for (const pair of text.split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    const key = decode(eq < 0 ? pair : pair.slice(0, eq))
    const raw = eq < 0 ? '' : decode(pair.slice(eq + 1))
    const value = VERBATIM.test(key) ? raw : cleanFormText(raw)
    const prev = out[key]
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
  }
  return out
}

export function registerFormBody(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseFormBody(body as Buffer))
    } catch (err) {
      done(err as Error, undefined)
    }
  })
}
