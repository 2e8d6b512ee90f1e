// The main flows — log in, write and submit a post, publish it, comment — done twice: once with the
// keyboard alone (focus always visible, the skip link first), once with JavaScript turned off.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, newContext } from '../helpers/browser.js'
import { makeUser } from '../helpers/users.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

/** Presses Tab until `selector` has focus; fails if it is not reachable. Checks the focus is visible. */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    const here = await page.evaluate((sel) => {
      const el = document.activeElement
      if (!el || !el.matches(sel)) return null
      const style = getComputedStyle(el)
      return { outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0, shadow: style.boxShadow !== 'none' }
    }, selector)
    if (here) {
      assert.ok(here.outline || here.shadow, `focus on ${selector} is visible`)
      return
    }
  }
  assert.fail(`${selector} is not reachable with Tab`)
}

async function nav(page: Page, action: () => Promise<void>) {
  await Promise.all([page.waitForNavigation(), action()])
}

test('keyboard only: skip link, log in, write and submit a post, and comment', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app, { username: 'kari' })
  const editor = await makeUser(app, { role: 'editor', username: 'eva' })
  const base = await listen(app)
  const page = await (await newContext(t, browser)).newPage()

  await page.goto(base + '/login')
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Hopp til hovedinnhold', 'the skip link comes first')
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate(() => location.hash), '#main_content')

  await tabTo(page, '#f_identifier')
  await page.keyboard.type(author.username)
  await tabTo(page, '#f_password')
  await page.keyboard.type(author.password)
  await nav(page, () => page.keyboard.press('Enter'))
  assert.ok(!page.url().includes('/login'), 'logged in')

  // "Mine innlegg" is in the user menu (details/summary): open it with Enter, then Tab to the link.
  await tabTo(page, '.user-menu summary')
  await page.keyboard.press('Enter')
  await tabTo(page, '.user-menu a[href="/my/posts"]')
  await nav(page, () => page.keyboard.press('Enter'))
  await tabTo(page, 'main a[href="/posts/new"]')
  await nav(page, () => page.keyboard.press('Enter'))
  await tabTo(page, '#f_title')
  await page.keyboard.type('Skrevet med tastaturet')
  await tabTo(page, '#f_body')
  await page.keyboard.type('Alt dette er gjort uten mus.')
  await tabTo(page, '#post_form button[value=submit]')
  await nav(page, () => page.keyboard.press('Enter'))
  await tabTo(page, 'main form button[type=submit].primary')
  await nav(page, () => page.keyboard.press('Enter'))
  const post = await app.db.selectFrom('posts').select(['id', 'status', 'slug']).where('title', '=', 'Skrevet med tastaturet').executeTakeFirstOrThrow()
  assert.equal(post.status, 'submitted')

  // An editor publishes it (keyboard too), then the author comments on it.
  const edPage = await (await newContext(t, browser)).newPage()
  await edPage.goto(base + '/login')
  await tabTo(edPage, '#f_identifier')
  await edPage.keyboard.type(editor.username)
  await tabTo(edPage, '#f_password')
  await edPage.keyboard.type(editor.password)
  await nav(edPage, () => edPage.keyboard.press('Enter'))
  await edPage.goto(`${base}/editorial/posts/${post.id}`)
  await tabTo(edPage, 'button[value=publish]')
  await nav(edPage, () => edPage.keyboard.press('Enter'))
  assert.equal((await app.db.selectFrom('posts').select('status').where('id', '=', post.id).executeTakeFirstOrThrow()).status, 'published')

  await page.goto(`${base}/posts/${post.slug}`)
  await tabTo(page, '#comment_form textarea')
  await page.keyboard.type('En kommentar skrevet med tastaturet.')
  await tabTo(page, '#comment_form button[type=submit]')
  await nav(page, () => page.keyboard.press('Enter'))
  assert.match(await page.textContent('main') ?? '', /En kommentar skrevet med tastaturet\./)
})

test('without JavaScript: log in, preview and submit a post, publish it, comment', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app, { username: 'ola' })
  const editor = await makeUser(app, { role: 'editor', username: 'siv' })
  const base = await listen(app)
  const ctx = await newContext(t, browser, { javaScriptEnabled: false })
  const page = await ctx.newPage()

  const logIn = async (p: Page, u: { username: string; password: string }) => {
    await p.goto(base + '/login')
    await p.fill('#f_identifier', u.username)
    await p.fill('#f_password', u.password)
    await nav(p, () => p.click('main button[type=submit].primary'))
  }
  await logIn(page, author)
  await page.goto(base + '/posts/new')
  await page.fill('#f_title', 'Uten JavaScript')
  await page.fill('#f_body', 'Dette er **fet** tekst.')
  await page.fill('#f_tags', 'tilgjengelighet')
  await nav(page, () => page.click('#post_form button[value=preview]'))
  assert.match(await page.innerHTML('main'), /<strong>fet<\/strong>/, 'server-side preview')
  assert.equal(await page.inputValue('#f_title'), 'Uten JavaScript', 'input kept after preview')
  await nav(page, () => page.click('#post_form button[value=submit]'))
  await nav(page, () => page.click('main form button[type=submit].primary'))
  const post = await app.db.selectFrom('posts').select(['id', 'status', 'slug']).where('title', '=', 'Uten JavaScript').executeTakeFirstOrThrow()
  assert.equal(post.status, 'submitted')

  const edPage = await (await newContext(t, browser, { javaScriptEnabled: false })).newPage()
  await logIn(edPage, editor)
  await edPage.goto(`${base}/editorial/posts/${post.id}`)
  await nav(edPage, () => edPage.click('button[value=publish]'))
  await page.goto(base + '/')
  assert.match(await page.textContent('main') ?? '', /Uten JavaScript/, 'on the front page')

  await page.goto(`${base}/posts/${post.slug}`)
  await page.fill('#comment_form textarea', 'Virker fint uten skript.')
  await nav(page, () => page.click('#comment_form button[type=submit]'))
  assert.match(await page.textContent('main') ?? '', /Virker fint uten skript\./)
})
