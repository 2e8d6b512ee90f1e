// The post editor for someone who has never seen Markdown: toolbar and keyboard only, images pasted and
// dropped, autosave across a closed tab, the editors' rendered changes, and the same post without
// JavaScript. axe on the editor and its dialogs in nb, nn and en.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, newContext } from '../helpers/browser.js'
import { makeUser, PASSWORD } from '../helpers/users.js'
import { solid } from '../uploads/fixtures.js'
import { describeViolations, runAxe, WORD_RULES } from '../helpers/axe.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

/** Every rule in bokmål; in nynorsk and English the rules about words (the rest is the same page). */
async function assertAccessible(page: Page, what: string, lang: 'nb' | 'nn' | 'en' = 'nb') {
  const violations = await runAxe(page, lang === 'nb' ? undefined : WORD_RULES)
  assert.equal(violations.length, 0, `${what}:\n${describeViolations(violations)}`)
}

async function logIn(context: BrowserContext, base: string, username: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${base}/login`)
  await page.locator('#f_identifier').fill(username)
  await page.locator('#f_password').fill(PASSWORD)
  await page.locator('main button[type=submit].primary').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  return page
}

/** A file handed to the page as a clipboard paste or a drop, the way a browser does it (DataTransfer). */
async function handImage(page: Page, how: 'paste' | 'drop', png: Buffer, name: string) {
  await page.evaluate(({ how, data, name }) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0))
    const transfer = new DataTransfer()
    transfer.items.add(new File([bytes], name, { type: 'image/png' }))
    const body = document.getElementById('f_body')!
    const event = how === 'paste'
      ? new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true })
      : new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true })
    body.dispatchEvent(event)
  }, { how, data: png.toString('base64'), name })
}

const body = (page: Page) => page.locator('#f_body')

test('an employee writes with the toolbar and keyboard, closes the tab, finds everything, sends it; the editor sees the changes', async (t) => {
  const app = await buildTestApp(t)
  const base = await listen(app)
  await makeUser(app, { username: 'per', displayName: 'Per Medarbeider' })
  await makeUser(app, { username: 'anna', role: 'editor', displayName: 'Anna Redaktør' })
  const context = await newContext(t, browser)
  let per = await logIn(context, base, 'per')
  await per.setViewportSize({ width: 1280, height: 800 })
  await per.goto(`${base}/posts/new`)

  // Title and body first: the body is in view without scrolling at 1280×800.
  const box = (await body(per).boundingBox())!
  assert.ok(box.y + 60 < 800, `the body starts at ${box.y}px`)
  assert.equal(await per.getByRole('toolbar', { name: 'Formatering av teksten' }).isVisible(), true)

  await per.getByLabel('Tittel').fill('Slik bruker du de nye skjermene')
  await body(per).focus()
  const kb = per.keyboard
  await per.getByRole('button', { name: 'Mellomtittel' }).click() // "## Mellomtittel", the sample selected
  await kb.type('Kom i gang')
  await kb.press('End')
  await kb.press('Enter')
  await kb.press('Enter')
  await kb.type('Skjermene er ')
  await kb.press('Control+b')
  await kb.type('store')
  await kb.press('End')
  await kb.type(' og gode.')
  await kb.press('Enter')
  await kb.press('Enter')
  await per.getByRole('button', { name: 'Punktliste' }).click()
  await kb.type('Koble til kabelen')
  await kb.press('End')
  await kb.press('Enter')
  await per.getByRole('button', { name: 'Punktliste' }).click()
  await kb.type('Juster høyden')
  await kb.press('End')
  await kb.press('Enter')
  await kb.press('Enter')
  await kb.type('Les mer i ')
  await kb.press('Control+k')
  const linkDialog = per.getByRole('dialog', { name: 'Sett inn lenke' })
  await linkDialog.waitFor()
  await assertAccessible(per, 'the link dialog')
  await per.locator('#f_linkText').fill('veiledningen')
  await per.locator('#f_linkUrl').fill('www.example.no')
  await kb.press('Enter')
  assert.match(await linkDialog.textContent() ?? '', /Skriv en adresse som begynner med https:\/\//, 'the mistake is named beside the field')
  await per.locator('#f_linkUrl').fill('https://www.trondheim.kommune.no/ikt')
  await kb.press('Enter')
  await linkDialog.waitFor({ state: 'hidden' })
  await kb.type('.')

  // Two images: one pasted, one dropped. A small dialog asks for the alt text (required) and the credit.
  const png = await solid(120, 80, { r: 20, g: 90, b: 160 }).png().toBuffer()
  await kb.press('Enter')
  await handImage(per, 'paste', png, 'skjermbilde.png')
  const imageDialog = per.getByRole('dialog', { name: 'Sett inn bilde' })
  await imageDialog.waitFor()
  await assertAccessible(per, 'the image dialog')
  await kb.press('Enter') // no alt text yet
  assert.match(await imageDialog.textContent() ?? '', /Skriv en alternativ tekst som beskriver bildet/)
  await per.locator('#f_dialogAlt').fill('To skjermer på et skrivebord')
  await per.locator('#f_dialogCredit').fill('Foto: Per // CC BY')
  await kb.press('Enter')
  await per.waitForFunction(() => /!\[To skjermer på et skrivebord\]\(\/uploads\/\S+ "Foto: Per \/\/ CC BY"\)/.test((document.getElementById('f_body') as HTMLTextAreaElement).value))
  await handImage(per, 'drop', png, 'tastatur.png')
  await imageDialog.waitFor()
  await per.locator('#f_dialogAlt').fill('Tastatur og mus')
  await kb.press('Enter')
  await per.waitForFunction(() => /!\[Tastatur og mus\]\(\/uploads\/[^\s)]+\)/.test((document.getElementById('f_body') as HTMLTextAreaElement).value))
  const written = await body(per).inputValue()
  assert.doesNotMatch(written, /<[a-z]/i, 'no HTML anywhere')
  assert.match(written, /^## Kom i gang\n\nSkjermene er \*\*store\*\* og gode\.\n\n- Koble til kabelen\n- Juster høyden\n\nLes mer i \[veiledningen\]\(https:\/\/www\.trondheim\.kommune\.no\/ikt\)\./)

  // Autosave: "Lagret 10:42" after a few seconds of quiet; the address is the draft's now.
  await per.locator('#editor_status', { hasText: /^Lagret \d\d:\d\d$/ }).waitFor({ timeout: 15_000 })
  assert.match(per.url(), /\/posts\/\d+\/edit$/)
  const editUrl = per.url()
  await assertAccessible(per, 'the editor')
  await per.close()

  // A new tab: everything is there.
  per = await context.newPage()
  await per.setViewportSize({ width: 1280, height: 800 })
  await per.goto(editUrl)
  assert.equal(await per.getByLabel('Tittel').inputValue(), 'Slik bruker du de nye skjermene')
  assert.equal(await body(per).inputValue(), written.trimEnd())
  await per.getByRole('button', { name: 'Forhåndsvisning ved siden av' }).click()
  await per.locator('#live_preview figure figcaption', { hasText: 'Foto: Per // CC BY' }).waitFor()
  assert.equal(await per.locator('#live_preview img[alt="Tastatur og mus"]').count(), 1)
  await per.getByRole('button', { name: 'Lagre og send til redaksjonen' }).click()
  await per.waitForURL(/\/submit$/)
  await per.getByRole('button', { name: 'Send til redaksjonen' }).click()
  await per.waitForURL(/\/my\/posts/)
  const postId = Number(/\/posts\/(\d+)\/edit/.exec(editUrl)![1])

  // The editor asks for a change; Per makes it; the editor sees it marked in the rendered post.
  const anna = await logIn(await newContext(t, browser), base, 'anna')
  await anna.goto(`${base}/editorial/posts/${postId}`)
  await anna.getByLabel('Merknad til forfatteren').fill('Ta med at skjermene kan vippes.').catch(async () => anna.locator('#f_note').fill('Ta med at skjermene kan vippes.'))
  await anna.getByRole('button', { name: 'Be om endringer' }).click()
  await anna.waitForURL(/\/editorial(\?|$)/)
  await per.goto(editUrl)
  await body(per).focus()
  await per.keyboard.press('Control+Home')
  await per.keyboard.press('ArrowDown')
  await per.keyboard.press('ArrowDown')
  await per.keyboard.press('End')
  await per.keyboard.type(' De kan vippes.')
  await per.getByRole('button', { name: 'Lagre og send til redaksjonen' }).click()
  await per.waitForURL(/\/submit$/)
  await per.getByRole('button', { name: 'Send til redaksjonen' }).click()
  await per.waitForURL(/\/my\/posts/)
  await anna.goto(`${base}/editorial/posts/${postId}`)
  const changes = anna.locator('.marked-changes')
  assert.match(await anna.locator('#diff_heading').textContent() ?? '', /Endringer siden forrige gjennomgang/)
  assert.match(await changes.locator('ins').first().textContent() ?? '', /De kan vippes\./)
  assert.equal(await changes.locator('h2', { hasText: 'Kom i gang' }).count(), 1, 'rendered, not Markdown')
  assert.equal(await anna.locator('#markdown_diff').getAttribute('open'), null)
  await anna.getByText('Vis endringene i Markdown').click()
  assert.equal(await anna.locator('#markdown_diff .diff ins').first().isVisible(), true)
  await assertAccessible(anna, 'the review page')
})

test('the same post without JavaScript: the plain form, the image line to copy, nothing lost', async (t) => {
  const app = await buildTestApp(t)
  const base = await listen(app)
  await makeUser(app, { username: 'kari' })
  const context = await newContext(t, browser, { javaScriptEnabled: false })
  const page = await logIn(context, base, 'kari')
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${base}/posts/new`)
  const box = (await body(page).boundingBox())!
  assert.ok(box.y + 60 < 844, `the body starts at ${box.y}px on a phone`)
  assert.equal(await page.getByRole('toolbar').count(), 0, 'no toolbar that cannot work')
  await page.getByLabel('Tittel').fill('Slik bruker du de nye skjermene')
  await body(page).fill('## Kom i gang\n\nSkjermene er **store** og gode.\n\n- Koble til kabelen\n- Juster høyden\n\nLes mer i [veiledningen](https://www.trondheim.kommune.no/ikt).')
  const png = await solid(120, 80).png().toBuffer()
  await page.locator('#f_image').setInputFiles({ name: 'skjerm.png', mimeType: 'image/png', buffer: png })
  await page.locator('#f_imageAlt').fill('To skjermer på et skrivebord')
  await page.locator('#f_imageCredit').fill('Foto: Kari // CC BY')
  await page.getByRole('button', { name: 'Last opp bildet og lagre utkastet' }).click()
  await page.waitForURL(/\/posts\/\d+\/edit\?uploaded=/)
  const line = await page.locator('#uploaded_snippet').inputValue()
  assert.match(line, /^!\[To skjermer på et skrivebord\]\(\/uploads\/\S+ "Foto: Kari \/\/ CC BY"\)$/, 'a short Markdown line, not HTML')
  assert.match(await body(page).inputValue(), /Les mer i \[veiledningen\]/, 'the text was saved with the upload')
  await body(page).fill(`${await body(page).inputValue()}\n\n${line}`)
  await page.getByRole('button', { name: 'Forhåndsvis', exact: true }).click()
  assert.match(await page.locator('.notice').first().textContent() ?? '', /Lagret/, 'the preview saved the text')
  assert.equal(await page.locator('#live_preview figure figcaption').textContent(), 'Foto: Kari // CC BY')
  assert.equal(await page.locator('#live_preview h2#kom-i-gang').count(), 1)
  await page.goto(page.url().replace(/\?.*$/, ''))
  assert.match(await body(page).inputValue(), /!\[To skjermer på et skrivebord\]\(\/uploads\//, 'saved by the preview button')
})

test('axe: the editor and its dialogs in nb, nn and en, on a desktop and a phone', async (t) => {
  const app = await buildTestApp(t)
  const base = await listen(app)
  await makeUser(app, { username: 'ola' })
  // One page for every language: only the language cookie changes.
  const context = await newContext(t, browser)
  const page = await logIn(context, base, 'ola')
  for (const lang of ['nb', 'nn', 'en'] as const) {
    await context.addCookies([{ name: 'lang', value: lang, url: base }])
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(`${base}/posts/new`)
    await assertAccessible(page, `${lang} editor`, lang)
    for (const tool of ['link', 'embed', 'image']) {
      await page.locator(`#body_toolbar [data-tool="${tool}"]`).click()
      await page.locator('dialog[open]').waitFor()
      await page.keyboard.press('Enter') // empty: the messages beside the fields are checked too
      await assertAccessible(page, `${lang} ${tool} dialog`, lang)
      await page.keyboard.press('Escape')
      await page.locator('dialog[open]').waitFor({ state: 'detached' }).catch(() => page.locator('dialog[open]').waitFor({ state: 'hidden' }))
    }
    // Arrow keys move along the toolbar; Tab leaves it (one tab stop).
    await page.locator('#body_toolbar button').first().focus()
    await page.keyboard.press('ArrowRight')
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-tool')), 'bold')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.reload()
    const box = (await body(page).boundingBox())!
    assert.ok(box.y + 60 < 844, `${lang}: the body starts at ${box.y}px on a phone`)
    await assertAccessible(page, `${lang} editor on a phone`, lang)
  }
})
