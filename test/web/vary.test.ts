// Anonymous pages depend on the language (Accept-Language, the language cookie): a shared proxy must
// be told, or it hands one reader's language to the next.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'

function varies(header: unknown): string[] {
  return String(header ?? '').toLowerCase().split(',').map((s) => s.trim()).filter(Boolean)
}

test('anonymous pages send Vary: Accept-Language, Cookie (and Accept-Encoding), fresh and from the cache', async (t) => {
  const app = await buildTestApp(t)
  await makeUser(app)
  await app.settings.update({ visibility: 'public' }, null)
  const reader = new Client(app, { 'accept-encoding': 'gzip' })
  for (const url of ['/', '/', '/micro', '/login', '/no-such-page']) {
    const res = await reader.get(url)
    const v = varies(res.headers.vary)
    assert.ok(v.includes('accept-language') && v.includes('cookie'), `${url}: ${res.headers.vary}`)
  }
  const first = varies((await new Client(app, { 'accept-encoding': 'br' }).get('/')).headers.vary)
  assert.ok(first.includes('accept-encoding'))
  assert.equal(new Set(first).size, first.length, 'no name twice')
  const css = await reader.get('/static/site.css')
  assert.ok(!varies(css.headers.vary).includes('cookie'), 'our stylesheet is the same for everyone')
})
