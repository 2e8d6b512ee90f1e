// The accessibility sweep shared by the a11y suites: every page case, as the role that sees it, in
// each language and colour scheme, through axe (WCAG 2.1 A/AA; the second colour scheme checks
// contrast only, since it changes colours only). In the first language and scheme also: a desktop
// and a phone screenshot and reflow at 320 CSS px.
//
// Cost is what this shapes: each role logs in once per file (its cookies are reused in every
// language), and pages are checked a few at a time in parallel contexts.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { newContext } from './browser.js'
import { describeViolations, horizontalOverflow, runAxe, screenshot } from './axe.js'

export type Lang = 'nb' | 'nn' | 'en'
export type Scheme = 'light' | 'dark'

export interface PageCase<Who extends string> {
  who: Who
  path: string
  /** Screenshot name; none taken without it. */
  name?: string
  status?: number
  /** Brings the page into the state to check (e.g. submits a form to show its errors). */
  action?: (page: Page) => Promise<void>
}

export interface SweepOptions<Who extends string> {
  base: string
  /** Credentials per role; null: anonymous. */
  users: Record<Who, { username: string; password: string } | null>
  cases: PageCase<Who>[]
  /** Language and scheme passes; the first is the full one (screenshots, reflow). */
  passes?: [Lang, Scheme][]
  /** Pages checked at once. */
  parallel?: number
}

export const ALL_PASSES: [Lang, Scheme][] = [['nb', 'light'], ['nn', 'light'], ['en', 'light'], ['nb', 'dark']]

/** Logs `user` in once and returns the cookies, for contexts in any language. */
async function sessionCookies(t: TestContext, browser: Browser, base: string, user: { username: string; password: string }) {
  const ctx = await newContext(t, browser)
  const page = await ctx.newPage()
  await page.goto(base + '/login')
  await page.fill('#f_identifier', user.username)
  await page.fill('#f_password', user.password)
  await page.click('main button[type=submit].primary')
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  const cookies = (await ctx.cookies()).filter((c) => c.name !== 'lang')
  await ctx.close()
  return cookies
}

/** Runs the sweep; fails the test once, listing every problem found. */
export async function sweepPages<Who extends string>(t: TestContext, browser: Browser, opts: SweepOptions<Who>): Promise<void> {
  const passes = opts.passes ?? ALL_PASSES
  const roles = Object.keys(opts.users) as Who[]
  const cookies = new Map<Who, Awaited<ReturnType<typeof sessionCookies>>>()
  for (const who of roles) {
    const user = opts.users[who]
    cookies.set(who, user ? await sessionCookies(t, browser, opts.base, user) : [])
  }

  const failures: string[] = []
  for (const [index, [lang, scheme]] of passes.entries()) {
    const full = index === 0
    const contexts = new Map<Who, BrowserContext>()
    for (const who of roles) {
      const ctx = await newContext(t, browser, { colorScheme: scheme })
      await ctx.addCookies([...cookies.get(who)!, { name: 'lang', value: lang, url: opts.base }])
      // An anonymous context gets its CSRF cookie first: pages opened at once would each be given
      // a different one, and a form would carry a token for a cookie that was replaced.
      if (!opts.users[who]) await ctx.request.get(opts.base + '/login')
      contexts.set(who, ctx)
    }
    const queue = [...opts.cases]
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const page = await contexts.get(c.who)!.newPage()
        try {
          failures.push(...await checkPage(page, opts.base, c, lang, scheme, full))
        } finally {
          await page.close()
        }
      }
    }
    await Promise.all(Array.from({ length: opts.parallel ?? 3 }, worker))
  }
  assert.deepEqual(failures, [], failures.join('\n\n'))
}

async function checkPage<Who extends string>(page: Page, base: string, c: PageCase<Who>, lang: Lang, scheme: Scheme, full: boolean): Promise<string[]> {
  const where = `${c.path} as ${c.who} (${lang}, ${scheme})`
  const res = await page.goto(base + c.path)
  if (res?.status() !== (c.status ?? 200)) return [`${where}: status ${res?.status()}, expected ${c.status ?? 200}`]
  if (c.action) await c.action(page)
  const problems: string[] = []
  const htmlLang = await page.getAttribute('html', 'lang')
  if (htmlLang !== lang) problems.push(`${where}: lang attribute is ${htmlLang}`)
  const violations = await runAxe(page, scheme === 'dark' ? ['color-contrast'] : undefined)
  if (violations.length) problems.push(`${where}:\n${describeViolations(violations)}`)
  if (full) {
    if (c.name) await screenshot(page, `${c.name}-desktop`)
    await page.setViewportSize({ width: 320, height: 800 })
    if (!c.action) await page.reload()
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))))
    if (c.name) await screenshot(page, `${c.name}-phone`)
    const overflow = await horizontalOverflow(page)
    if (overflow.length) problems.push(`${where} scrolls sideways at 320 px: ${overflow.join(', ')}`)
  }
  return problems
}
