// WCAG 2.1 A/AA checks (axe-core) for the frame's pages that a11y-pages.test.ts does not visit:
// setup, login, language choice, user administration forms, site settings, guidelines editing and
// the 400 page, in all three languages, light and dark, plus reflow at 320 px. Screenshots go to
// test-output/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, newContext } from '../helpers/browser.js'
import { describeViolations, runAxe, screenshot, WORD_RULES } from '../helpers/axe.js'
import { sweepPages, type PageCase } from '../helpers/page-sweep.js'
import { makeUser } from '../helpers/users.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

const LANGS = ['nb', 'nn', 'en'] as const

test('setup page passes axe in every language', async (t) => {
  const app = await buildTestApp(t)
  const base = await listen(app)
  // One page for every language: only the language cookie changes.
  const ctx = await newContext(t, browser)
  const page = await ctx.newPage()
  for (const lang of LANGS) {
    await ctx.addCookies([{ name: 'lang', value: lang, url: base }])
    await page.goto(base + '/setup')
    assert.equal(await page.getAttribute('html', 'lang'), lang)
    // With errors too: submit the empty form.
    await page.click('button[type=submit].primary')
    await page.waitForSelector('#error_summary')
    const violations = await runAxe(page, lang === 'nb' ? undefined : WORD_RULES)
    assert.equal(violations.length, 0, `/setup (${lang}):\n${describeViolations(violations)}`)
    if (lang === 'nb') await screenshot(page, 'setup-errors-desktop')
  }
})

test('frame pages pass axe as each role, in bokmål, nynorsk and English, light and dark', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'editor+admin', username: 'anne' })
  const employee = await makeUser(app, { username: 'per' })
  const base = await listen(app)

  const pages: PageCase<'anon' | 'admin' | 'employee'>[] = [
    { who: 'anon', path: '/login', name: 'login' },
    { who: 'anon', path: '/login', name: 'login-error', action: async (p) => { await p.fill('#f_identifier', 'x'); await p.fill('#f_password', 'y'); await p.click('button[type=submit].primary'); await p.waitForSelector('#error_summary') } },
    { who: 'anon', path: '/language', name: 'language' },
    { who: 'employee', path: '/users/anne', name: 'profile' },
    { who: 'employee', path: '/?before=' + 'x'.repeat(200), name: 'error-400', status: 400 },
    { who: 'admin', path: '/admin/users/new', name: 'admin-user-new-errors', action: async (p) => { await p.click('main button[type=submit].primary'); await p.waitForSelector('#error_summary') } },
    { who: 'admin', path: `/admin/users/${employee.id}`, name: 'admin-user-edit' },
    { who: 'admin', path: '/admin/settings', name: 'admin-settings' },
    { who: 'admin', path: '/guidelines/edit', name: 'guidelines-edit' },
  ]

  await sweepPages(t, browser, { base, users: { anon: null, admin, employee }, cases: pages })
})
