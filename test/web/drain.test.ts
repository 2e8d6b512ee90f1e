// On SIGTERM (server.ts calls app.drain, then app.close), a GET on a kept-alive connection gets 503
// with Connection: close, never a reset; a POST is still handled (a proxy never sends it elsewhere).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { buildTestApp } from '../helpers/app.js'
import { listen } from '../helpers/browser.js'
import { makeUser } from '../helpers/users.js'
import { startSession } from '../../src/auth/sessions.js'

function get(agent: http.Agent, url: string): Promise<{ status: number; connection: string | undefined; socket: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, socket: req.socket }))
    })
    req.on('error', reject)
  })
}

test('while draining, a kept-alive connection gets 503 + Connection: close instead of a reset', async (t) => {
  const app = await buildTestApp(t)
  await makeUser(app)
  const base = await listen(app)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  t.after(() => agent.destroy())
  const first = await get(agent, `${base}/login`)
  assert.equal(first.status, 200)
  assert.equal(first.connection, 'keep-alive')
  const draining = app.drain(300)
  const second = await get(agent, `${base}/login`)
  assert.equal(second.status, 503)
  assert.equal(second.connection, 'close')
  assert.equal(second.socket, first.socket, 'the same kept-alive connection')
  await draining
})

function send(agent: http.Agent, url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; connection: string | undefined; cookies: string[]; text: string; socket: unknown }>((resolve, reject) => {
    const req = http.request(url, { agent, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let text = ''
      res.on('data', (d: Buffer) => { text += d.toString() })
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, cookies: res.headers['set-cookie'] ?? [], text, socket: req.socket }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

test('while draining, a POST is still handled and its connection closed after the answer', async (t) => {
  const app = await buildTestApp(t)
  const user = await makeUser(app)
  const session = await startSession(app.db, app.config, user.id, { ip: null, userAgent: null })
  const base = await listen(app)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  t.after(() => agent.destroy())
  const page = await send(agent, `${base}/micro`, { headers: { cookie: `betablogg=${session}` } })
  assert.equal(page.connection, 'keep-alive')
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1]
  assert.ok(csrf)
  const cookie = [`betablogg=${session}`, ...page.cookies.map((c) => c.split(';')[0]!)].join('; ')
  const draining = app.drain(300)
  const posted = await send(agent, `${base}/micro`, {
    method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, body: 'Skrevet mens serveren stopper' }).toString(),
  })
  assert.equal(posted.status, 303)
  assert.equal(posted.connection, 'close')
  assert.equal(posted.socket, page.socket, 'the same kept-alive connection')
  const stored = await app.db.selectFrom('micro_posts').select('body').where('body', '=', 'Skrevet mens serveren stopper').execute()
  assert.equal(stored.length, 1)
  await draining
})
