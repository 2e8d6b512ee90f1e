// A widget in a cross-origin frame, as the intranet shows it: shown for a listed origin, refused for
// another; the widget and its administration page pass axe in three languages and both colour schemes.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, newContext } from '../helpers/browser.js'
import { sweepPages } from '../helpers/page-sweep.js'
import { makeUser } from '../helpers/users.js'
import { insertMicro, insertPost } from '../feeds/fixtures.js'
import { saveWidgetOrigins, widgetKey } from '../../src/widgets/service.js'
import { createWebhook } from '../../src/webhooks/service.js'
import { asCurrent } from '../posts/helpers.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

/** An "intranet" on its own loopback port (another origin) whose page frames `src`. */
async function intranet(t: Parameters<typeof buildTestApp>[0], src: string): Promise<string> {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><html lang="nb"><title>Intranett</title><h1>Intranettet</h1><iframe id="w" title="Nytt fra Betablogg" src="${src}" width="600" height="400"></iframe>`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

test('a widget shows in a frame on a listed origin, is refused on another, and its links open in the page around it', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'editor+admin' })
  const kari = await makeUser(app, { displayName: 'Kari Nordmann' })
  await insertPost(app, { author: kari, title: 'Velferdsteknologi i praksis', markdown: 'Tekst.', tags: ['velferd'] })
  await insertMicro(app, { author: kari, body: 'Hei fra mikrobloggen' })
  const base = await listen(app)
  const key = await widgetKey(app.settings, app.config.sessionSecret, admin.id)
  const src = `${base}/widgets/posts?tag=velferd&key=${key}`
  const listed = await intranet(t, src)
  const other = await intranet(t, src)
  await saveWidgetOrigins(app.db, app.settings, admin, listed)

  const page = await (await newContext(t, browser)).newPage()
  await page.goto(listed + '/')
  const frame = page.frameLocator('#w')
  await frame.getByRole('link', { name: 'Velferdsteknologi i praksis' }).waitFor()
  assert.equal(await frame.locator('h1').textContent(), 'Nye innlegg om «velferd»')
  // The link opens in the intranet's window, not inside the frame.
  await frame.getByRole('link', { name: 'Velferdsteknologi i praksis' }).click()
  await page.waitForURL((u) => u.href.startsWith(base + '/'))
  assert.equal(page.frames().length, 1, 'the whole window went to Betablogg')

  const refused = await (await newContext(t, browser)).newPage()
  const blocked = refused.waitForEvent('console', { predicate: (m) => /frame-ancestors/.test(m.text()), timeout: 10_000 })
  await refused.goto(other + '/')
  await blocked
  const child = refused.frames().find((f) => f !== refused.mainFrame())
  assert.ok(child)
  assert.equal(await child.locator('text=Velferdsteknologi i praksis').count(), 0, 'nothing of the widget is shown on an unlisted site')
})

test('widgets, the widget administration and the webhook pages pass axe in nb, nn and en, light and dark, and reflow at 320 px', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'editor+admin' })
  const kari = await makeUser(app, { displayName: 'Kari Nordmann' })
  await insertPost(app, { author: kari, title: 'Velferdsteknologi i praksis', markdown: 'Tekst.', tags: ['velferd'] })
  await insertMicro(app, { author: kari, body: 'Hei fra mikrobloggen #velferd' })
  const base = await listen(app)
  const key = await widgetKey(app.settings, app.config.sessionSecret, admin.id)
  const hook = await createWebhook(app.db, { ...asCurrent(admin), isAdmin: true }, { name: 'Teams IKT', url: 'https://hooks.example.no/x', format: 'json', events: ['post.published'], tag: '', active: true }, [])
  const paths = ['/admin/sso', '/admin/outbox', '/admin/webhooks', '/admin/webhooks/new', `/admin/webhooks/${hook}`, '/admin/widgets?kind=tag&tag=velferd&limit=3', `/widgets/posts?key=${key}`, `/widgets/updates?key=${key}`]
  await sweepPages(t, browser, {
    base, users: { admin },
    // Without the site key, an internal site's widget is refused with a page of its own.
    cases: [...paths.map((path) => ({ who: 'admin' as const, path })), { who: 'admin', path: '/widgets/updates', status: 403 }],
  })
})
