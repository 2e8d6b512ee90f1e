// WCAG 2.1 A/AA checks (axe-core) for the editors' statistics (charts drawn as SVG beside their
// tables), the monthly summary, the list of posts due for review and a post's owner page, in bokmål,
// nynorsk and English. One browser for the file; one logged-in context per language.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, loggedInContext } from '../helpers/browser.js'
import { describeViolations, runAxe } from '../helpers/axe.js'
import { makeUser } from '../helpers/users.js'
import { publishedPost } from '../posts/helpers.js'
import { osloDay, addDays } from '../../src/statistics/period.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

test('statistics with charts, the summary and the review list pass axe in nb, nn and en', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor', username: 'redaktor' })
  const author = await makeUser(app)
  const day = (n: number) => new Date(Date.now() + n * 86_400_000)
  const old = await publishedPost(app, author, editor, { title: 'Rutiner som bør sjekkes', tags: 'ikt, velferd' }, day(-400))
  await publishedPost(app, author, editor, { title: 'Snart til gjennomgang', tags: 'ikt' }, day(-360))
  const today = osloDay(new Date())
  await app.db.insertInto('stats_page_views').values([
    { day: addDays(today, -2), kind: 'post', views: 12 }, { day: addDays(today, -1), kind: 'home', views: 30 }, { day: today, kind: 'post', views: 4 },
  ]).execute()
  await app.db.insertInto('stats_post_views').values({ day: addDays(today, -2), post_id: old, views: 12 }).execute()
  await app.db.insertInto('stats_readers').values({ day: addDays(today, -1), readers: 9 }).execute()
  const base = await listen(app)
  const paths = ['/statistics', '/statistics/summary', '/review', `/posts/${old}/ownership`]

  await Promise.all((['nb', 'nn', 'en'] as const).map(async (lang) => {
    const ctx = await loggedInContext(t, browser, base, editor, lang)
    for (const path of paths) {
      const page = await ctx.newPage()
      const res = await page.goto(base + path)
      assert.equal(res?.status(), 200, `${path} (${lang})`)
      assert.equal(await page.getAttribute('html', 'lang'), lang)
      if (path === '/statistics') {
        assert.ok(await page.locator('svg[role="img"] title').count() >= 3, 'the charts are drawn')
        assert.equal(await page.locator('table.data').count() >= 3, true)
      }
      if (path === '/review') assert.equal(await page.locator('tbody tr').count(), 2)
      const violations = await runAxe(page)
      assert.equal(violations.length, 0, `${path} (${lang}):\n${describeViolations(violations)}`)
      await page.close()
    }
  }))
})
