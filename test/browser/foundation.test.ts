import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, newContext } from '../helpers/browser.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

test('first run: create the admin, log out, log in, create an employee', async (t) => {
  const app = await buildTestApp(t)
  const base = await listen(app)
  const page = await (await newContext(t, browser)).newPage()

  await page.goto(base + '/')
  assert.equal(new URL(page.url()).pathname, '/setup', 'a new site leads to the setup page')
  await page.getByLabel('Brukernavn').fill('anne')
  await page.getByRole('textbox', { name: /^Navn/ }).fill('Anne Admin')
  await page.getByLabel('Nytt passord').fill('et langt og godt passord')
  await page.getByLabel('Gjenta passordet').fill('et langt og godt passord')
  await page.getByRole('button', { name: 'Opprett administrator' }).click()
  await page.waitForURL(/\/admin\/users/)
  assert.match(await page.textContent('main') ?? '', /Administratorkontoen er opprettet/)

  await page.locator('.user-menu summary').click()
  await page.getByRole('button', { name: 'Logg ut' }).click()
  await page.waitForURL(/\/login/)
  await page.getByLabel('Brukernavn eller e-postadresse').fill('anne')
  await page.getByLabel('Passord').fill('et langt og godt passord')
  await page.getByRole('button', { name: 'Logg inn' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))

  await page.goto(base + '/admin/users/new')
  await page.getByLabel('Brukernavn').fill('per')
  await page.getByRole('textbox', { name: /^Navn/ }).fill('Per Medarbeider')
  await page.getByRole('button', { name: 'Opprett bruker' }).click()
  assert.match(await page.textContent('main') ?? '', /Send denne lenken til personen/)
  const link = await page.inputValue('#invite_link')
  assert.match(link, /\/invite\/[A-Za-z0-9_-]{20,}$/)

  // The setup page is gone for good.
  const setup = await page.goto(base + '/setup')
  assert.equal(setup?.status(), 404)
})
