// Issue 14, design in the browser: the phone menu and the user menu open without JavaScript and pass
// axe when open (three languages, both colour schemes, 320 px); the copy-link button copies; print
// leaves out the header. Screenshots of the front page and a post with the menus open.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, loggedInContext, newContext } from '../helpers/browser.js'
import { describeViolations, horizontalOverflow, rulesForAnother, runAxe, screenshot } from '../helpers/axe.js'
import { makeUser } from '../helpers/users.js'
import { publishedPost } from '../posts/helpers.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

test('menus work without JavaScript at 320 px and pass axe open, in nb/nn/en and light/dark', { timeout: 600_000 }, async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor+admin', displayName: 'Anne Andersen' })
  const id = await publishedPost(app, await makeUser(app), editor, { title: 'Et innlegg å lese', body: 'Tekst.', tags: 'ikt' })
  const slug = (await app.db.selectFrom('posts').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug
  const base = await listen(app)
  const failures: string[] = []
  // Two pages for every language and scheme, one without scripts and one with: the language cookie
  // and the emulated scheme change, not the context (each new one costs a renderer).
  const withJs = await loggedInContext(t, browser, base, editor)
  const noJs = await newContext(t, browser, { javaScriptEnabled: false })
  await noJs.addCookies((await withJs.cookies()).filter((c) => c.name !== 'lang'))
  const plain = await noJs.newPage()
  const page = await withJs.newPage()
  for (const p of [plain, page]) await p.setViewportSize({ width: 320, height: 900 })
  for (const [lang, scheme] of [['nb', 'light'], ['nn', 'dark'], ['en', 'light']] as const) {
    for (const c of [noJs, withJs]) await c.addCookies([{ name: 'lang', value: lang, url: base }])
    for (const p of [plain, page]) await p.emulateMedia({ colorScheme: scheme })
    await plain.goto(`${base}/posts/${slug}`)
    assert.equal(await plain.isVisible('.main-nav.wide-only'), false, 'phones get the menu button instead')
    await plain.click('.phone-menu summary')
    assert.equal(await plain.isVisible('.phone-menu a[href="/micro"]'), true)
    await plain.click('.user-menu summary')
    assert.equal(await plain.isVisible('.user-menu a[href="/admin/users"]'), true)
    // axe runs as a script in the page: the same page with the menus open, in a context with scripts on.
    await page.goto(`${base}/posts/${slug}`)
    assert.equal(await page.getAttribute('html', 'lang'), lang)
    await page.click('.phone-menu summary')
    await page.click('.user-menu summary')
    // Every rule in bokmål, light; then what the language (words) and the dark scheme (contrast) change.
    const violations = await runAxe(page, lang === 'nb' ? undefined : rulesForAnother({ language: true, scheme: scheme === 'dark' }))
    if (violations.length) failures.push(`${lang}/${scheme} menus open: ${describeViolations(violations)}`)
    const overflow = await horizontalOverflow(page)
    if (overflow.length) failures.push(`${lang}/${scheme} scrolls sideways at 320 px: ${overflow.join(', ')}`)
    if (lang === 'nb' && scheme === 'light') await screenshot(page, 'menus-open-phone')
  }
  assert.deepEqual(failures, [], failures.join('\n'))
})

test('copy-link copies the post address; print hides header and forms', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor+admin' })
  const id = await publishedPost(app, await makeUser(app), editor, { title: 'Kopier meg', body: 'Tekst.' })
  const slug = (await app.db.selectFrom('posts').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug
  const base = await listen(app)
  const ctx = await loggedInContext(t, browser, base, editor)
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
  const page = await ctx.newPage()
  await page.goto(`${base}/posts/${slug}`)
  await page.getByRole('button', { name: 'Kopier lenken' }).click()
  await page.getByText('Lenken er kopiert.').waitFor()
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${app.config.baseUrl}/posts/${slug}`)
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.isVisible('.site-header'), false)
  assert.equal(await page.isVisible('.post-share'), false)
  assert.equal(await page.isVisible('h1'), true)
})

test('the orientation rule (WCAG 1.3.4) runs once per set of style sheets and catches a lock', async (t) => {
  const ctx = await newContext(t, browser)
  const page = await ctx.newPage()
  const locked = (deg: number) => `<!doctype html><html lang="nb"><head><title>Låst</title><style>@media (orientation: portrait) { html { transform: rotate(${deg}deg) } }</style></head><body><main><h1>Låst</h1></main></body></html>`
  const ids = async (html: string) => {
    await page.setContent(html)
    return (await runAxe(page)).map((v) => v.id)
  }
  // axe marks the rule experimental, so a run by WCAG tags alone would never report it.
  assert.ok((await ids(locked(90))).includes('css-orientation-lock'), 'a page locked to landscape is reported')
  assert.ok(!(await ids(locked(90))).includes('css-orientation-lock'), 'the same sheets are not read again')
  assert.ok((await ids(locked(-90))).includes('css-orientation-lock'), 'another sheet is checked')
})
