// Issue 12 item 7: like, reply and delete on updates and comments without a reload when JavaScript
// runs — announced in a live region, focus kept — and the same forms without JavaScript.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { announcement, launchBrowser, listen, newContext } from '../helpers/browser.js'
import { makeUser, PASSWORD } from '../helpers/users.js'
import { describeViolations, runAxe } from '../helpers/axe.js'
import { insertPost } from '../comments/helpers.js'
import { postUpdate } from '../../src/micro/service.js'
import type { CurrentUser } from '../../src/users/user.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

async function login(page: Page, base: string, username: string) {
  await page.goto(base + '/login')
  await page.getByLabel('Brukernavn eller e-postadresse').fill(username)
  await page.getByLabel('Passord').fill(PASSWORD)
  await page.getByRole('button', { name: 'Logg inn' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

// A mark on the window: still there afterwards means the page was not reloaded.
const mark = (page: Page) => page.evaluate(() => { (window as unknown as { kept: boolean }).kept = true })
const kept = (page: Page) => page.evaluate(() => (window as unknown as { kept?: boolean }).kept === true)
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  return el ? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}:${(el.textContent ?? '').trim().slice(0, 40)}` : ''
})
const noViolations = async (page: Page, what: string) => {
  const violations = await runAxe(page)
  assert.equal(violations.length, 0, `${what}:\n${describeViolations(violations)}`)
}

test('likes, replies and deletions on updates and comments happen in place, and without JavaScript too', async (t) => {
  const app = await buildTestApp(t)
  const base = await listen(app)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  await makeUser(app, { username: 'per', displayName: 'Per $& Hansen' })
  const asKari: CurrentUser = { id: kari.id, username: 'kari', displayName: 'Kari Nordmann', email: null, isEditor: false, isAdmin: false, language: null, sessionId: 'x' }
  const root = await postUpdate(app.db, asKari, { body: 'Hvem blir med på fagdagen?' })
  const post = await insertPost(app, kari.id, { title: 'Samtale uten omlasting' })

  const [per, perNoJs] = await Promise.all([
    newContext(t, browser).then((c) => c.newPage()),
    newContext(t, browser, { javaScriptEnabled: false }).then((c) => c.newPage()),
  ])
  await Promise.all([login(per, base, 'per'), login(perNoJs, base, 'per')])
  per.on('dialog', (d) => void d.accept())

  // A like: the count appears, the button says it is pressed and keeps the focus.
  await per.goto(base + '/micro')
  const update = per.locator(`#micro_${root}`)
  assert.doesNotMatch(await update.textContent() ?? '', /liker dette/)
  await mark(per)
  await update.getByRole('button', { name: 'Lik' }).focus()
  await per.keyboard.press('Enter')
  await update.getByText('1 liker dette').waitFor()
  assert.equal(await update.getByRole('button', { name: 'Lik' }).getAttribute('aria-pressed'), 'true')
  assert.ok(await kept(per), 'no reload')
  assert.equal(await announcement(per), 'Du liker denne oppdateringen.')
  assert.equal(await focused(per), 'button:Lik')
  await noViolations(per, '/micro after a like')

  // A reply in the thread: it appears in the list, the field is empty again, focus on the new reply.
  await per.goto(`${base}/micro/${root}`)
  await mark(per)
  await per.getByLabel('Ditt svar til @kari').fill('Jeg blir med!')
  assert.equal(await per.textContent('#f_body-count'), '487 tegn igjen')
  await per.getByRole('button', { name: 'Send svar' }).click()
  const reply = per.locator('#thread_list article', { hasText: 'Jeg blir med!' })
  await reply.waitFor()
  const replyId = await reply.getAttribute('id')
  assert.ok(await kept(per))
  assert.equal(await per.getByLabel('Ditt svar til @kari').inputValue(), '')
  assert.equal(await per.textContent('#f_body-count'), '500 tegn igjen')
  assert.match(await focused(per), new RegExp(`^article#${replyId}:`))
  assert.equal(new URL(per.url()).hash, `#${replyId}`)
  assert.equal(await announcement(per), 'Svaret ditt er publisert.')

  // Deleting it (after the confirmation): the marker takes its place and the focus.
  await reply.getByRole('button', { name: 'Slett' }).click()
  await per.locator(`#${replyId}`).getByText('Denne oppdateringen er slettet.').waitFor()
  assert.ok(await kept(per))
  assert.match(await focused(per), new RegExp(`^article#${replyId}:`))
  assert.equal(await announcement(per), 'Oppdateringen er slettet.')
  await noViolations(per, 'thread after reply and delete')

  // Comments: the counter runs, the comment appears in place, a reply to it too, then it is deleted.
  await per.goto(`${base}/posts/${post.slug}`)
  await mark(per)
  const field = per.getByRole('textbox', { name: /^Kommentar/ })
  await field.fill('Bra skrevet!')
  assert.equal(await per.textContent('#f_body-count'), '1988 tegn igjen')
  await per.getByRole('button', { name: 'Publiser kommentaren' }).click()
  const comment = per.locator('.comment', { hasText: 'Bra skrevet!' })
  await comment.waitFor()
  assert.ok(await kept(per))
  assert.equal(await announcement(per), 'Kommentaren din er publisert.')
  assert.match(await focused(per), /^article#comment_\d+:/)
  assert.equal(await per.getByRole('textbox', { name: /^Kommentar/ }).inputValue(), '', 'a fresh form')

  // "Svar" opens the page's one reply form under the comment, named after the person answered.
  const replyButton = per.locator('.comment-list > li', { hasText: 'Bra skrevet!' }).getByRole('button', { name: 'Svar', exact: true })
  assert.equal(await replyButton.getAttribute('aria-expanded'), 'false')
  await replyButton.click()
  assert.equal(await replyButton.getAttribute('aria-expanded'), 'true')
  const replyField = per.getByLabel('Ditt svar til Per $& Hansen')
  assert.match(await focused(per), /^textarea#reply_body_\d+:/, 'the field has the focus')
  await replyButton.click() // closes it, and opens the same one again
  assert.equal(await replyButton.getAttribute('aria-expanded'), 'false')
  assert.equal(await replyField.isVisible(), false)
  await replyButton.click()
  assert.equal(await per.locator('.comment-reply-form').count(), 1)
  await replyField.fill('Og et svar.')
  assert.match(await per.locator('.comment-reply-form .char-count').textContent() ?? '', /^1989 tegn igjen$/)
  await noViolations(per, 'post page with a reply form open')
  await per.getByRole('button', { name: 'Send svar' }).click()
  await per.locator('.comment-replies .comment', { hasText: 'Og et svar.' }).waitFor()
  assert.ok(await kept(per))

  await comment.getByRole('button', { name: 'Slett' }).click()
  await per.getByText('Denne kommentaren er slettet.').waitFor()
  assert.ok(await kept(per))
  assert.equal(await announcement(per), 'Kommentaren er slettet.')
  await noViolations(per, 'post page after comments in place')

  // Without JavaScript the same forms post and come back to the same place.
  await perNoJs.goto(base + '/micro')
  await perNoJs.locator(`#micro_${root}`).getByRole('button', { name: 'Lik' }).click()
  await perNoJs.waitForURL(new RegExp(`/micro#micro_${root}$`))
  assert.doesNotMatch(await perNoJs.locator(`#micro_${root}`).textContent() ?? '', /liker dette/, 'pressed again: the like is taken back')
  await perNoJs.goto(`${base}/posts/${post.slug}`)
  await perNoJs.getByRole('textbox', { name: /^Kommentar/ }).fill('Uten skript')
  await perNoJs.getByRole('button', { name: 'Publiser kommentaren' }).click()
  await perNoJs.waitForURL(/#comment_\d+$/)
  assert.match(await perNoJs.textContent('main') ?? '', /Uten skript/)
  // "Svar" is a link to a page with the reply form, quoting the comment answered.
  await perNoJs.locator('.comment-list > li', { hasText: 'Uten skript' }).getByRole('link', { name: 'Svar', exact: true }).click()
  await perNoJs.waitForURL(/\/comments\/new\?post=\d+&parent=\d+$/)
  assert.match(await perNoJs.textContent('blockquote') ?? '', /Uten skript/)
  await perNoJs.getByRole('textbox', { name: /^Kommentar/ }).fill('Svar uten skript')
  await perNoJs.getByRole('button', { name: 'Publiser kommentaren' }).click()
  await perNoJs.waitForURL(/#comment_\d+$/)
  assert.match(await perNoJs.locator('.comment-list > li', { hasText: 'Uten skript' }).locator('.comment-replies').textContent() ?? '', /Svar uten skript/)
})
