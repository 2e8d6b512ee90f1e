// Single sign-on's own pages in a real browser, in every language: the failure page (the provider
// unreachable; a callback with no pending login) and the invitation page while password login is off.
// 0 axe violations (WCAG 2.1 A/AA). One browser for the file; the pages run in parallel contexts.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { describeViolations, runAxe } from '../helpers/axe.js'
import { launchBrowser, listen, loggedInContext } from '../helpers/browser.js'
import { Client } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { ssoEnv } from './env.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(() => browser?.close()) // (a name pattern that skips every test skips before() too)

const PAGES = {
  nb: { unreachable: 'Vi fikk ikke kontakt med innloggingstjenesten', invite: 'Her logger du inn med' },
  nn: { unreachable: 'Vi fekk ikkje kontakt med innloggingstenesta', invite: 'Her loggar du inn med' },
  en: { unreachable: 'We could not reach the sign-in service', invite: 'Here you log in with' },
} as const

test('the single sign-on failure page and the invitation page: each language, 0 axe violations', async (t) => {
  // An issuer that drops every connection: every sign-in fails as "unreachable". (Kept open: a port
  // just closed could be taken by another test's server meanwhile, one that never answers.)
  const closed = net.createServer((socket) => socket.destroy())
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
  t.after(() => new Promise<void>((r) => closed.close(() => r())))
  const issuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
  const app = await buildTestApp(t, ssoEnv(issuer))
  const admin = await makeUser(app, { role: 'admin', username: 'admin' })
  const a = new Client(app)
  await a.login(admin.username, admin.password)
  const made = await a.post('/admin/users/new', { username: 'kno', displayName: 'Kari', email: 'kari@trondheim.kommune.no' }, { from: '/admin/users/new' })
  const token = /\/invite\/([\w-]+)/.exec(made.body)![1]!
  await app.settings.update({ localLogin: false }, null)
  const base = await listen(app)

  await Promise.all(Object.entries(PAGES).map(async ([lang, expected]) => {
    const ctx = await loggedInContext(t, browser, base, null, lang)
    const page = await ctx.newPage()
    const checks: Array<[string, string, number]> = [
      ['/sso/login', expected.unreachable, 502],
      ['/sso/callback?code=x&state=y', '', 400], // no pending login: the "state" failure
      [`/invite/${token}`, expected.invite, 200],
    ]
    for (const [path, text, status] of checks) {
      const res = await page.goto(base + path)
      assert.equal(res?.status(), status, `${lang} ${path}`)
      assert.equal(await page.getAttribute('html', 'lang'), lang)
      if (text) assert.match(await page.textContent('main') ?? '', new RegExp(text))
      const violations = await runAxe(page)
      assert.equal(violations.length, 0, `${lang} ${path}:\n${describeViolations(violations)}`)
    }
  }))
})
