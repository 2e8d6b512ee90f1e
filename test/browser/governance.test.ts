// WCAG 2.1 A/AA checks (axe-core) for the editors' statistics (charts drawn as SVG beside their
// tables), the monthly summary, the list of posts due for review and a post's owner page, in bokmål,
// nynorsk and English, light and dark, with reflow at 320 px (the shared sweep).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, loggedInContext } from '../helpers/browser.js'
import { sweepPages } from '../helpers/page-sweep.js'
import { makeUser } from '../helpers/users.js'
import { publishedPost } from '../posts/helpers.js'
import { osloDay, addDays } from '../../src/statistics/period.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

test('statistics with charts, the summary and the review list pass axe in nb, nn and en, light and dark', async (t) => {
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

  // What the pages show: the charts are drawn beside their tables; both posts are due for review.
  const page = await (await loggedInContext(t, browser, base, editor)).newPage()
  await page.goto(base + '/statistics')
  assert.ok(await page.locator('svg[role="img"] title').count() >= 3, 'the charts are drawn')
  assert.ok(await page.locator('table.data').count() >= 3)
  await page.goto(base + '/review')
  assert.equal(await page.locator('tbody tr').count(), 2)

  await sweepPages(t, browser, { base, users: { editor }, cases: paths.map((path) => ({ who: 'editor' as const, path })) })
})
