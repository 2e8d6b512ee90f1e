// WCAG 2.1 A/AA checks (axe-core) for the e-mail pages: the outbox administration, the notification
// settings with e-mail choices, the forgotten-password and unsubscribe pages, and an e-mail's own
// HTML part, in all three languages, and reflow at 320 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen } from '../helpers/browser.js'
import { describeViolations, runAxe } from '../helpers/axe.js'
import { sweepPages } from '../helpers/page-sweep.js'
import { makeUser } from '../helpers/users.js'
import { TestSmtp } from '../helpers/smtp.js'
import { hashToken } from '../../src/auth/tokens.js'
import { signUnsubscribe } from '../../src/mail/unsubscribe-token.js'
import { renderHtml } from '../../src/mail/compose.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

test('e-mail pages and an e-mail pass axe in bokmål, nynorsk and English', async (t) => {
  const smtp = await TestSmtp.start()
  t.after(() => smtp.down())
  const app = await buildTestApp(t, smtp.env({ OUTBOX_POLL_MS: '3600000' }))
  const admin = await makeUser(app, { role: 'editor+admin', username: 'anne', email: 'anne@example.test' })
  const now = new Date().toISOString()
  const row = { channel: 'email', kind: 'notification', recipient: `user:${admin.id}`, payload: '{}', created_at: now, updated_at: now, next_attempt_at: now }
  await app.db.insertInto('outbox').values([
    { ...row, idempotency_key: 'a', status: 'failed', attempts: 8, last_error: 'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:25' },
    { ...row, idempotency_key: 'b', status: 'pending', attempts: 2, last_error: '421 try later' },
    { ...row, idempotency_key: 'c', status: 'sent', attempts: 1, sent_at: now },
  ]).execute()
  await app.db.insertInto('password_resets').values({ user_id: admin.id, token_hash: hashToken('resettoken'), created_at: now, expires_at: new Date(Date.now() + 3_600_000).toISOString() }).execute()
  const base = await listen(app)
  const pages = [
    { who: 'admin', path: '/admin/outbox' },
    { who: 'admin', path: '/settings/notifications' },
    { who: 'anon', path: '/password/forgot' },
    { who: 'anon', path: '/password/reset/resettoken' },
    { who: 'anon', path: `/unsubscribe/${signUnsubscribe(app.config.sessionSecret, admin.id, 'daily')}` },
  ] as const

  await sweepPages(t, browser, { base, users: { anon: null, admin }, cases: [...pages], passes: [['nb', 'light'], ['nn', 'light'], ['en', 'light']] })

  const page = await (await browser.newContext()).newPage()
  await page.setContent(renderHtml({
    lang: 'nn', subject: 'Betablogg: 2 nye varsel', heading: 'Dette har skjedd sidan sist', paragraphs: ['Hei'],
    items: [{ text: 'Kari kommenterte innlegget ditt', href: 'http://localhost/posts/x', meta: '5. des. 2026' }],
    action: { label: 'Opne i Betablogg', href: 'http://localhost/notifications' },
    footer: ['Du får dette samandraget fordi …'], footerLinks: [{ label: 'Avslutt desse e-postane', href: 'http://localhost/unsubscribe/x' }],
  }))
  const violations = await runAxe(page)
  assert.equal(violations.length, 0, `e-mail HTML:\n${describeViolations(violations)}`)
  await page.close()
})
