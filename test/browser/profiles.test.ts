// Issue 14, profiles and site identity in the browser: upload a profile picture and see it beside a
// post and a comment; set the site's identity and see it on the front page and in the feed; axe on the
// profile edit page, the author page and the site identity page in nb, nn and en, light and dark, at 320 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, loggedInContext } from '../helpers/browser.js'
import { sweepPages } from '../helpers/page-sweep.js'
import { makeUser } from '../helpers/users.js'
import { publishedPost } from '../posts/helpers.js'
import { solid } from '../uploads/fixtures.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

test('a profile picture beside a post and a comment; site identity on the front page and in the feed; axe and reflow', { timeout: 600_000 }, async (t) => {
  const app = await buildTestApp(t)
  const anne = await makeUser(app, { username: 'anne', role: 'editor+admin', displayName: 'Anne Andersen' })
  const editor = await makeUser(app, { role: 'editor' })
  const id = await publishedPost(app, anne, editor, { title: 'Et innlegg med bilde', body: 'Tekst.' })
  const slug = (await app.db.selectFrom('posts').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug
  const base = await listen(app)
  const ctx = await loggedInContext(t, browser, base, anne)
  const page = await ctx.newPage()

  // The picture: uploaded on the profile page, then beside the post (author box) and a comment.
  await page.goto(`${base}/users/anne/edit`)
  assert.equal(await page.locator('.profile-picture-row .avatar').textContent(), 'AA', 'initials before a picture')
  await page.setInputFiles('#f_picture', { name: 'anne.png', mimeType: 'image/png', buffer: await solid(600, 400).png().toBuffer() })
  await page.getByRole('button', { name: 'Last opp profilbildet' }).click()
  await page.getByText('Profilbildet er lagret.').waitFor()
  await page.goto(`${base}/posts/${slug}`)
  const boxPicture = page.locator('.author-box img.avatar')
  assert.equal(await boxPicture.getAttribute('alt'), '')
  assert.equal(await boxPicture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), true, 'the picture loads')
  await page.fill('#f_body', 'En kommentar med bilde')
  await page.getByRole('button', { name: 'Publiser kommentaren' }).click()
  const comment = page.locator('article.comment', { hasText: 'En kommentar med bilde' })
  await comment.waitFor()
  assert.equal(await comment.locator('img.avatar').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), true)

  // Site identity: set by the administrator, seen on the front page and in the feed.
  await page.goto(`${base}/admin/identity`)
  await page.fill('#f_siteName', 'Kommunebloggen')
  await page.fill('#f_siteTagline', 'Nytt fra oss i kommunen')
  await page.fill('#f_siteIntroMd', 'Velkommen til **bloggen** vår.')
  await page.fill('#f_contactUrl', 'mailto:blogg@example.test')
  await page.getByRole('button', { name: 'Lagre' }).click()
  await page.getByText('Identiteten er lagret.').waitFor()
  await page.goto(`${base}/`)
  assert.equal(await page.title(), 'Kommunebloggen')
  assert.match(await page.locator('.brand').textContent() ?? '', /Kommunebloggen$/, 'the header names the site')
  assert.equal(await page.locator('.site-intro strong').textContent(), 'bloggen')
  assert.equal(await page.locator('.site-footer a[href="mailto:blogg@example.test"]').textContent(), 'Kontakt')
  assert.equal(await page.locator('.post-card img.avatar').first().getAttribute('alt'), '', 'the card shows the author\'s picture')
  const feed = await (await page.request.get(`${base}/feed.xml`)).text()
  assert.match(feed, /<title>Kommunebloggen – alle innlegg<\/title>/)
  assert.match(feed, /<description>Nytt fra oss i kommunen<\/description>/)

  // axe on the new and changed pages in three languages and both schemes; reflow at 320 px.
  await sweepPages(t, browser, {
    base, users: { anne },
    cases: [{ who: 'anne', path: '/users/anne/edit' }, { who: 'anne', path: '/users/anne' }, { who: 'anne', path: '/admin/identity' }],
  })
})
