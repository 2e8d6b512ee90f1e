// Searching from the header, reading results, switching tabs and filtering by tag, in Chromium;
// the search and feed settings pages pass axe (WCAG 2.1 AA) and reflow at 320 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, newContext } from '../helpers/browser.js'
import { describeViolations, horizontalOverflow, runAxe } from '../helpers/axe.js'
import { makeUser } from '../helpers/users.js'
import { insertComment, insertMicro, insertPost, makePublic } from '../feeds/fixtures.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

test('a reader searches from the header, without JavaScript too, and narrows the results', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { displayName: 'Kari Nordmann' })
  await makePublic(app)
  const post = await insertPost(app, { author: kari, title: 'Kommunen flytter til skyen', markdown: 'Kommunen har valgt en ny løsning for økonomi.', tags: ['sky', 'økonomi'] })
  await insertPost(app, { author: kari, title: 'Skolen og skyen', markdown: 'Om kommunale skoler.', tags: ['skole'] })
  await insertMicro(app, { author: kari, body: 'Kommunen sender ut nytt nyhetsbrev i dag' })
  await insertComment(app, { postId: post.id, author: kari, markdown: 'Bra at kommunen tør!' })
  const base = await listen(app)

  for (const javaScriptEnabled of [true, false]) {
    const page = await (await newContext(t, browser, { javaScriptEnabled })).newPage()
    await page.goto(base + '/')
    await page.locator('#site_search').fill('kommun')
    await page.locator('#site_search').press('Enter')
    await page.waitForURL(/\/search\?q=kommun/)
    assert.equal(await page.locator('h1').textContent(), 'Søk: kommun')
    assert.match(await page.locator('.search-summary').textContent() ?? '', /4 treff/)
    assert.equal(await page.locator('.search-group h2').count(), 3, 'posts, updates and comments each have a section')
    assert.equal(await page.locator('mark', { hasText: 'Kommunen' }).first().isVisible(), true)

    await page.getByRole('link', { name: /^Innlegg/ }).first().click()
    await page.waitForURL(/type=post/)
    assert.equal(await page.locator('.search-tabs [aria-current="page"]').textContent(), 'Innlegg (2)')
    assert.equal(await page.locator('.search-hit').count(), 2)
    await page.getByRole('link', { name: 'økonomi', exact: true }).click()
    await page.waitForURL(/tag=%C3%B8konomi/)
    assert.equal(await page.locator('.search-hit').count(), 1)
    assert.match(await page.locator('.search-summary').textContent() ?? '', /med stikkordet «økonomi»/)
    await page.getByRole('link', { name: 'Fjern stikkordfilteret' }).first().click()
    await page.waitForURL((u) => !u.search.includes('tag='))
    assert.equal(await page.locator('.search-hit').count(), 2)
  }
})

test('search pages pass axe and reflow at 320 px', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { role: 'editor' })
  await makePublic(app)
  const post = await insertPost(app, { author: kari, title: 'Åpne data i kommunen', markdown: 'Lang tekst om åpne data. '.repeat(30), tags: ['data'] })
  await insertComment(app, { postId: post.id, author: kari, markdown: 'Åpne data er bra' })
  const base = await listen(app)
  const ctx = await newContext(t, browser)
  const page = await ctx.newPage()
  // Each state of the page; its three languages and /settings/feeds are in a11y-pages.test.ts.
  for (const path of ['/search', '/search?q=%C3%A5pne', '/search?q=%C3%A5pne&type=post', '/search?q=finnesikke', '/search?q=%C3%A5pne&tag=ukjent']) {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(base + path)
    const violations = await runAxe(page)
    assert.deepEqual(violations, [], `${path}: ${describeViolations(violations)}`)
    await page.setViewportSize({ width: 320, height: 900 })
    assert.deepEqual(await horizontalOverflow(page), [], `${path} scrolls sideways at 320 px`)
    // The phone layout (a menu button instead of the menu): every rule there too, once.
    if (path === '/search?q=%C3%A5pne') {
      const phone = await runAxe(page)
      assert.deepEqual(phone, [], `${path} at 320 px: ${describeViolations(phone)}`)
    }
  }
})
