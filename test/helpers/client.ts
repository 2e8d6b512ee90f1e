// A small browser stand-in over app.inject: keeps cookies, reads the CSRF token from the page it
// just loaded, and posts forms the way a browser does (url-encoded).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

export class Client {
  readonly cookies = new Map<string, string>()
  lastHtml = ''

  constructor(readonly app: FastifyInstance, readonly headers: Record<string, string> = {}) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; ")
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now()) || c.value === ''
      if (expired) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    if (String(res.headers['content-type'] ?? '').includes('text/html')) this.lastHtml = res.body
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const res = await this.app.inject({ method: 'GET', url, headers: { ...this.headers, cookie: this.cookieHeader(), ...headers } })
    this.remember(res)
    return res
  }

  /** The CSRF token of the last HTML page (or of `html`). */
  csrf(html = this.lastHtml): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html)
    if (!m) throw new Error('no CSRF token on the page')
    return m[1]!
  }

  /** Posts a form. With `from`, loads that page first to take its CSRF token, as a browser would. */
  async post(url: string, form: Record<string, string | string[]>, opts: { from?: string; csrf?: string | false } = {}) {
    if (opts.from) await this.get(opts.from)
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
    if (opts.csrf !== false && !body.has('_csrf')) body.set('_csrf', opts.csrf ?? this.csrf())
    const res = await this.app.inject({
      method: 'POST', url, payload: body.toString(),
      headers: { ...this.headers, cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    })
    this.remember(res)
    return res
  }

  async login(identifier: string, password: string) {
    const res = await this.post('/login', { identifier, password }, { from: '/login' })
    if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode}`)
    return res
  }
}

export async function loggedIn(app: FastifyInstance, user: { username: string; password: string }): Promise<Client> {
  const c = new Client(app)
  await c.login(user.username, user.password)
  return c
}
