// Issue 14 item 3 in a browser: following a colleague and a tag, reading the personal timeline,
// keeping things for later and finding them again — in place with JavaScript, and the same forms
// without it; then axe on the new pages in three languages and both colour schemes, and reflow at 320 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { announcement, launchBrowser, listen, loggedInContext, newContext } from '../helpers/browser.js'
import { sweepPages } from '../helpers/page-sweep.js'
import { screenshot, screenshotPath } from '../helpers/axe.js'
import { makeUser } from '../helpers/users.js'
import { insertMicro, insertPost } from '../feeds/fixtures.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

const mark = (page: Page) => page.evaluate(() => { (window as unknown as { kept: boolean }).kept = true })
const kept = (page: Page) => page.evaluate(() => (window as unknown as { kept?: boolean }).kept === true)

test('a person follows a colleague and a tag, reads the timeline, keeps a post and an update for later and finds them; axe and reflow on the new pages', async (t) => {
  const app = await buildTestApp(t)
  const base = await listen(app)
  const [kari, ola, per, nina] = await Promise.all([
    makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' }), makeUser(app, { username: 'ola', displayName: 'Ola Berg' }),
    makeUser(app, { username: 'per', displayName: 'Per Hansen' }), makeUser(app, { username: 'nina', displayName: 'Nina Ny' }),
  ])
  const post = await insertPost(app, { author: kari, title: 'Slik flytter vi til skyen', tags: ['økonomi'], publishedAt: new Date(Date.now() - 3_600_000) })
  await insertPost(app, { author: ola, title: 'Ola skriver om noe annet', publishedAt: new Date(Date.now() - 1_800_000) })
  const update = await insertMicro(app, { author: ola, body: 'Nytt om #skytjenester i dag', tags: ['skytjenester'] })
  await app.db.updateTable('tags').set({ post_count: 1 }).execute()

  const [ctx, noJs] = await Promise.all([
    loggedInContext(t, browser, base, per),
    newContext(t, browser, { javaScriptEnabled: false }).then(async (c) => {
      const p = await c.newPage()
      await p.goto(base + '/login')
      await p.fill('#f_identifier', nina.username)
      await p.fill('#f_password', nina.password)
      await p.click('main button[type=submit].primary')
      await p.waitForURL((u) => !u.pathname.startsWith('/login'))
      return p
    }),
  ])
  const page = await ctx.newPage()

  // Follow Kari from her author page, in place.
  await page.goto(`${base}/users/kari`)
  await mark(page)
  await page.getByRole('button', { name: 'Følg Kari Nordmann' }).click()
  await page.getByText('Du følger Kari Nordmann.').waitFor()
  assert.ok(await kept(page), 'no reload')
  assert.equal(await announcement(page), 'Du følger nå.')
  // Follow a tag from its page.
  await page.goto(`${base}/tags/skytjenester`)
  await page.getByRole('button', { name: 'Følg #skytjenester' }).click()
  await page.getByText('Du følger #skytjenester.', { exact: false }).waitFor()

  // The timeline, from the user menu: Kari's post and the tagged update, newest first; Ola's other post is not there.
  await page.locator('.user-menu summary').click()
  await page.getByRole('link', { name: 'Fra dem du følger' }).click()
  await page.waitForURL(`${base}/timeline`)
  const items = page.locator('.mixed-list > li')
  assert.equal(await items.count(), 2)
  assert.match(await items.nth(0).textContent() ?? '', /Nytt om #skytjenester/)
  assert.match(await items.nth(1).textContent() ?? '', /Slik flytter vi til skyen/)
  assert.doesNotMatch(await page.content(), /Ola skriver om noe annet/)

  // Keep both for later, in place.
  await mark(page)
  const updateBox = page.locator(`#micro_${update}`)
  await updateBox.getByRole('button', { name: 'Les senere' }).click()
  await page.waitForFunction((id) => document.querySelector(`#micro_${id} .bookmark-button`)?.getAttribute('aria-pressed') === 'true', update)
  const postBox = page.locator(`#bookmark_post_${post.id}`)
  await postBox.getByRole('button', { name: 'Les senere' }).click()
  await page.waitForFunction((id) => document.querySelector(`#bookmark_post_${id} .bookmark-button`)?.getAttribute('aria-pressed') === 'true', post.id)
  assert.ok(await kept(page))
  assert.equal(await announcement(page), 'Lagt til i Les senere.')

  // Found again under «Les senere».
  await page.locator('.user-menu summary').click()
  await page.getByRole('link', { name: 'Les senere' }).click()
  await page.waitForURL(`${base}/bookmarks`)
  assert.equal(await page.locator('.mixed-list > li').count(), 2)
  assert.match(await page.locator('main').textContent() ?? '', /Slik flytter vi til skyen[\s\S]*|Nytt om #skytjenester/)
  await page.goto(`${base}/following`)
  assert.match(await page.locator('main').textContent() ?? '', /Kari Nordmann[\s\S]*#skytjenester/)

  // The timeline with what Per follows, saved as desktop and phone (390 × 844) screenshots.
  await page.goto(`${base}/timeline`)
  assert.equal(await page.locator('.mixed-list > li').count(), 2)
  await screenshot(page, 'timeline-desktop')
  await page.setViewportSize({ width: 390, height: 844 })
  await page.reload()
  assert.ok(await page.locator('.phone-menu summary').isVisible(), 'the phone layout, with its menu button')
  await screenshot(page, 'timeline-phone')
  for (const name of ['timeline-desktop', 'timeline-phone']) assert.ok(fs.statSync(screenshotPath(name)).size > 0, name)

  // Without JavaScript: the same forms, a page load each.
  await noJs.goto(`${base}/posts/${post.slug}`)
  await noJs.getByRole('button', { name: 'Les senere' }).click()
  await noJs.waitForURL(`${base}/posts/${post.slug}#bookmark_post_${post.id}`)
  assert.equal(await noJs.getByRole('button', { name: 'Les senere' }).getAttribute('aria-pressed'), 'true')
  await noJs.goto(`${base}/users/kari`)
  await noJs.getByRole('button', { name: 'Følg Kari Nordmann' }).click()
  await noJs.getByText('Du følger Kari Nordmann.').waitFor()

  // Axe on the new pages in three languages and both colour schemes (reflow at 320 px and screenshots in
  // the first pass; the timeline's are the journey's own, above); their empty states and the changed
  // author and tag pages in bokmål, light and dark.
  await sweepPages(t, browser, {
    base, users: { per },
    cases: [
      { who: 'per', path: '/timeline' }, { who: 'per', path: '/bookmarks', name: 'bookmarks' },
      { who: 'per', path: '/following', name: 'following' },
    ],
  })
  await sweepPages(t, browser, {
    base, users: { per, ola }, passes: [['nb', 'light'], ['nb', 'dark']],
    cases: [
      { who: 'per', path: '/users/kari', name: 'author-following' }, { who: 'per', path: '/tags/skytjenester', name: 'tag-following' },
      { who: 'ola', path: '/timeline', name: 'timeline-empty' }, { who: 'ola', path: '/bookmarks', name: 'bookmarks-empty' },
      { who: 'ola', path: '/following', name: 'following-empty' },
    ],
  })
})
