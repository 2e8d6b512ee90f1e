// Issue 14 item 3 in a browser: following a colleague and a tag, reading the personal timeline,
// keeping things for later and finding them again — in place with JavaScript, and the same forms
// without it; then axe on the new pages in three languages and both colour schemes, and reflow at 320 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, loggedInContext, newContext } from '../helpers/browser.js'
import { makeUser } from '../helpers/users.js'
import { describeViolations, horizontalOverflow, runAxe, screenshot } from '../helpers/axe.js'
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
  assert.equal(await page.locator('#in_place_status').textContent(), 'Du følger nå.')
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
  assert.equal(await page.locator('#in_place_status').textContent(), 'Lagt til i Les senere.')

  // Found again under «Les senere».
  await page.locator('.user-menu summary').click()
  await page.getByRole('link', { name: 'Les senere' }).click()
  await page.waitForURL(`${base}/bookmarks`)
  assert.equal(await page.locator('.mixed-list > li').count(), 2)
  assert.match(await page.locator('main').textContent() ?? '', /Slik flytter vi til skyen[\s\S]*|Nytt om #skytjenester/)
  await page.goto(`${base}/following`)
  assert.match(await page.locator('main').textContent() ?? '', /Kari Nordmann[\s\S]*#skytjenester/)

  // Without JavaScript: the same forms, a page load each.
  await noJs.goto(`${base}/posts/${post.slug}`)
  await noJs.getByRole('button', { name: 'Les senere' }).click()
  await noJs.waitForURL(`${base}/posts/${post.slug}#bookmark_post_${post.id}`)
  assert.equal(await noJs.getByRole('button', { name: 'Les senere' }).getAttribute('aria-pressed'), 'true')
  await noJs.goto(`${base}/users/kari`)
  await noJs.getByRole('button', { name: 'Følg Kari Nordmann' }).click()
  await noJs.getByText('Du følger Kari Nordmann.').waitFor()

  // Axe on the new pages (and the changed author and tag pages), three languages, light and dark; reflow at 320 px.
  // The three new pages in every language; their empty states and the changed author and tag pages in bokmål.
  const pages = [
    { user: per, path: '/timeline', name: 'timeline' }, { user: per, path: '/bookmarks', name: 'bookmarks' },
    { user: per, path: '/following', name: 'following' }, { user: per, path: '/users/kari', name: 'author-following', only: 'nb' },
    { user: per, path: '/tags/skytjenester', name: 'tag-following', only: 'nb' },
    { user: ola, path: '/timeline', name: 'timeline-empty', only: 'nb' }, { user: ola, path: '/bookmarks', name: 'bookmarks-empty', only: 'nb' },
    { user: ola, path: '/following', name: 'following-empty', only: 'nb' },
  ]
  const failures: string[] = []
  for (const lang of ['nb', 'nn', 'en'] as const) { // one after the other: a busy machine logs in slowly
    const contexts = new Map([[per, await loggedInContext(t, browser, base, per, lang)], [ola, await loggedInContext(t, browser, base, ola, lang)]])
    for (const p of pages.filter((x) => !x.only || x.only === lang)) {
      const tab = await contexts.get(p.user)!.newPage()
      const res = await tab.goto(base + p.path)
      assert.equal(res?.status(), 200, p.path)
      assert.equal(await tab.getAttribute('html', 'lang'), lang)
      for (const scheme of ['light', 'dark'] as const) {
        await tab.emulateMedia({ colorScheme: scheme })
        // The dark scheme changes colours only: its pass checks contrast.
        const violations = await runAxe(tab, scheme === 'dark' ? ['color-contrast'] : undefined)
        if (violations.length) failures.push(`${p.path} as ${p.user.username} (${lang}, ${scheme}):\n${describeViolations(violations)}`)
      }
      if (lang === 'nb') {
        await tab.emulateMedia({ colorScheme: 'light' })
        await screenshot(tab, `${p.name}-desktop`)
        await tab.setViewportSize({ width: 320, height: 800 })
        await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))))
        await screenshot(tab, `${p.name}-phone`)
        const overflow = await horizontalOverflow(tab)
        if (overflow.length) failures.push(`${p.path} scrolls sideways at 320 px: ${overflow.join(', ')}`)
      }
      await tab.close()
    }
  }
  assert.deepEqual(failures, [], failures.join('\n\n'))
})
