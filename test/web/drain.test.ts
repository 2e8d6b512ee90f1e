// On SIGTERM (server.ts calls app.drain, then app.close), a request on a kept-alive connection gets
// 503 with Connection: close, never a reset.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { buildTestApp } from '../helpers/app.js'
import { listen } from '../helpers/browser.js'
import { makeUser } from '../helpers/users.js'

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
