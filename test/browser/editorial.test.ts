import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, newContext } from '../helpers/browser.js'
import { makeUser, PASSWORD } from '../helpers/users.js'
import { solid } from '../uploads/fixtures.js'
import { describeViolations, runAxe } from '../helpers/axe.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

async function assertAccessible(page: Page) {
  const violations = await runAxe(page)
  assert.equal(violations.length, 0, `${new URL(page.url()).pathname}:\n${describeViolations(violations)}`)
}

async function logIn(context: BrowserContext, base: string, username: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${base}/login`)
  await page.getByLabel('Brukernavn eller e-postadresse').fill(username)
  await page.getByLabel('Passord').fill(PASSWORD)
  await page.getByRole('button', { name: 'Logg inn' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  return page
}

test('write with a tag and an image, submit, changes requested, resubmit, a second editor publishes', async (t) => {
  const app = await buildTestApp(t)
  const base = await listen(app)
  await makeUser(app, { username: 'per', displayName: 'Per Medarbeider' })
  await makeUser(app, { username: 'anna', role: 'editor' })
  await makeUser(app, { username: 'bjorn', role: 'editor' })

  // The employee writes a post with a tag and an image.
  const per = await logIn(await newContext(t, browser), base, 'per')
  await per.goto(`${base}/posts/new`)
  await per.getByLabel('Tittel').fill('Vi tester nye skjermer')
  await per.getByLabel('Tekst', { exact: true }).fill('Skjermene er **store** og gode.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n')
  await per.getByLabel('Stikkord').fill('IKT')
  await per.getByRole('button', { name: 'Forhåndsvisning ved siden av' }).click()
  await per.locator('#live_preview strong', { hasText: 'store' }).waitFor() // the live preview (JavaScript)
  await per.locator('#f_image').setInputFiles({ name: 'skjerm.png', mimeType: 'image/png', buffer: await solid(900, 600, { r: 20, g: 90, b: 160 }).png().toBuffer() })
  await per.locator('#f_imageAlt').fill('To skjermer på et skrivebord')
  await per.locator('#f_imageCredit').fill('Foto: Per // CC BY')
  await per.getByRole('button', { name: 'Last opp bildet og lagre utkastet' }).click()
  await per.waitForURL(/\/posts\/\d+\/edit\?uploaded=/)
  assert.match(await per.textContent('main') ?? '', /Bildet er lastet opp/)
  await assertAccessible(per)
  await per.getByRole('button', { name: 'Sett inn i teksten' }).first().click()
  assert.match(await per.getByLabel('Tekst', { exact: true }).inputValue(), /!\[To skjermer på et skrivebord\]\(\/uploads\/\S+ "Foto: Per \/\/ CC BY"\)/)
  await per.getByLabel('Toppbilde').selectOption({ label: 'To skjermer på et skrivebord' })
  await per.getByRole('button', { name: 'Lagre og send til redaksjonen' }).click()
  await per.waitForURL(/\/submit$/)
  assert.match(await per.textContent('main') ?? '', /Kontrollen fant ingenting å rette/)
  await assertAccessible(per)
  await per.getByRole('button', { name: 'Send til redaksjonen' }).click()
  await per.waitForURL(/\/my\/posts/)
  assert.match(await per.textContent('main') ?? '', /Sendt til redaksjonen/)

  // Editor A asks for a change.
  const anna = await logIn(await newContext(t, browser), base, 'anna')
  await anna.goto(`${base}/editorial`)
  await assertAccessible(anna)
  await anna.getByRole('link', { name: 'Vi tester nye skjermer' }).click()
  await assertAccessible(anna)
  await anna.getByLabel('Kommentar til forfatteren', { exact: true }).fill('Fortell hva skjermene koster.')
  await anna.getByRole('button', { name: 'Be om endringer' }).click()
  await anna.waitForURL(/\/editorial\?notice=/)
  assert.match(await anna.textContent('main') ?? '', /Forfatteren er bedt om å gjøre endringer/)

  // The employee sees the comment, edits and sends it again.
  await per.goto(`${base}/my/posts`)
  assert.match(await per.textContent('main') ?? '', /Fortell hva skjermene koster\./)
  await assertAccessible(per)
  await per.getByRole('link', { name: /^Rediger\s*: Vi tester nye skjermer$/ }).click()
  const body = per.getByLabel('Tekst', { exact: true })
  await body.fill(`${await body.inputValue()}\n\nDe koster 3000 kroner stykket.`)
  await per.getByRole('button', { name: 'Lagre og send til redaksjonen' }).click()
  await per.waitForURL(/\/submit$/)
  await per.getByRole('button', { name: 'Send til redaksjonen' }).click()
  await per.waitForURL(/\/my\/posts/)

  // Editor B publishes it.
  const bjorn = await logIn(await newContext(t, browser), base, 'bjorn')
  await bjorn.goto(`${base}/editorial`)
  await bjorn.getByRole('link', { name: 'Vi tester nye skjermer' }).click()
  assert.match(await bjorn.textContent('main') ?? '', /Fortell hva skjermene koster\./, 'the earlier comment is shown')
  await bjorn.getByRole('button', { name: 'Godkjenn og publiser nå' }).click()
  await bjorn.waitForURL(/\/editorial\?notice=/)
  assert.match(await bjorn.textContent('main') ?? '', /Ingen innlegg venter på vurdering/)

  // It shows on the front page, the tag archive and the author page.
  await per.goto(`${base}/`)
  await per.getByRole('link', { name: 'Vi tester nye skjermer' }).first().waitFor()
  await assertAccessible(per)
  await per.goto(`${base}/tags/IKT`)
  assert.equal(new URL(per.url()).pathname, '/tags/ikt')
  assert.match(await per.textContent('h1') ?? '', /Stikkordarkiv: ikt/)
  await per.getByRole('link', { name: 'Vi tester nye skjermer' }).waitFor()
  await per.goto(`${base}/users/per`)
  await per.getByRole('link', { name: 'Vi tester nye skjermer' }).click()
  assert.match(await per.textContent('main') ?? '', /De koster 3000 kroner stykket\./)
  await assertAccessible(per)
  const images = per.locator('article img[alt="To skjermer på et skrivebord"]')
  assert.equal(await images.count(), 2, 'the cover image and the image in the text')
  assert.ok(await images.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the image loads')
  assert.match(await per.locator('article figcaption').first().textContent() ?? '', /Foto: Per \/\/ CC BY/)
  // The video is a link until the reader asks for it; only then is the provider's frame loaded.
  assert.equal(await per.locator('iframe').count(), 0)
  await per.getByRole('button', { name: 'Vis her: Se videoen på YouTube' }).click()
  assert.equal(await per.locator('figure.embed iframe[src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]').count(), 1)
})
