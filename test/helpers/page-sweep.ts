// The accessibility sweep shared by the a11y suites: every page case, as the role that sees it, in
// each language and colour scheme, through axe: every WCAG 2.1 A/AA rule in the first pass; in the
// others what they change (another language: the rules about words; another colour scheme:
// contrast). By default the dark scheme rides along with nynorsk, so each page is loaded once per
// language. In the first pass also: a desktop and a phone screenshot and reflow at 320 CSS px.
//
// Cost is what this shapes: each role signs in once per sweep (its cookies are reused in every
// language), and one page in one context checks every case (see pageFor). SWEEP_TIMING=1 prints how
// long each check's steps took.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core'
import { newContext } from './browser.js'
import { AXE_SOURCE, describeViolations, horizontalOverflow, rulesForAnother, runAxe, screenshot } from './axe.js'

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

/** Every language once, and the dark scheme together with one of them (its contrast checked there). */
export const ALL_PASSES: [Lang, Scheme][] = [['nb', 'light'], ['nn', 'dark'], ['en', 'light']]

/**
 * The cookies of `user` signed in through /login, or of an anonymous reader who has been given a CSRF
 * cookie: asked for through the context's request API, which shares its cookies but starts no renderer.
 */
async function roleCookies(ctx: BrowserContext, base: string, user: { username: string; password: string } | null) {
  await ctx.clearCookies()
  const form = await ctx.request.get(base + '/login')
  if (user) {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1]
    const res = await ctx.request.post(base + '/login', {
      form: { _csrf: csrf ?? '', identifier: user.username, password: user.password }, headers: { origin: base }, maxRedirects: 0,
    })
    assert.equal(res.status(), 303, `${user.username} signs in`)
  }
  return (await ctx.cookies()).filter((c) => c.name !== 'lang')
}

/** Runs the sweep; fails the test once, listing every problem found. */
export async function sweepPages<Who extends string>(t: TestContext, browser: Browser, opts: SweepOptions<Who>): Promise<void> {
  const passes = opts.passes ?? ALL_PASSES
  const failures: string[] = []
  const parallel = opts.parallel ?? 1
  // Each worker keeps one context with one page in it, for every role, case and pass: a page is never
  // behind another in its window (a hidden page's animation frames and timers stall), and a renderer
  // is started, and axe compiled, once per worker, not per role or case (either costs more than a
  // check). The cookies say whose page it is; a pass sets the language cookie and colour scheme. One
  // worker by default: the suite keeps both cores busy, and pages checked side by side cost more CPU.
  const cookies = new Map<Who, Cookie[]>()
  const workers = new Map<number, { page: Page; who?: Who }>()
  const pageFor = async (worker: number, who: Who) => {
    let w = workers.get(worker)
    if (!w) {
      const ctx = await newContext(t, browser)
      // Every page loaded here is checked: axe comes with each load as an init script, which
      // Chromium compiles from its code cache, instead of 650 KB sent and compiled after each load.
      await ctx.addInitScript({ content: AXE_SOURCE })
      workers.set(worker, w = { page: await ctx.newPage() })
    }
    if (w.who !== who) {
      const ctx = w.page.context()
      if (!cookies.has(who)) cookies.set(who, await roleCookies(ctx, opts.base, opts.users[who]))
      await ctx.clearCookies()
      await ctx.addCookies(cookies.get(who)!)
      w.who = who
    }
    return w.page
  }
  for (const [index, [lang, scheme]] of passes.entries()) {
    // The first pass runs every rule; the others what their language or scheme can change.
    const rules = index === 0 ? undefined : rulesForAnother({ language: lang !== passes[0]![0], scheme: scheme !== passes[0]![1] })
    const queue = [...opts.cases]
    const worker = async (_: unknown, w: number) => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const page = await pageFor(w, c.who)
        await page.context().addCookies([{ name: 'lang', value: lang, url: opts.base }])
        await page.emulateMedia({ colorScheme: scheme })
        const { problems, givenUp } = await checkWithinLimit(page, opts.base, c, lang, scheme, rules)
        failures.push(...problems)
        if (givenUp) workers.delete(w)
      }
    }
    await Promise.all(Array.from({ length: parallel }, worker))
  }
  await Promise.all([...workers.values()].map(({ page }) => page.context().close()))
  assert.deepEqual(failures, [], failures.join('\n\n'))
}


/** A page check that cannot hang the file: evaluate() has no time limit of its own. */
const PAGE_LIMIT_MS = 90_000
const DESKTOP = { width: 1280, height: 900 }

async function checkWithinLimit<Who extends string>(page: Page, base: string, c: PageCase<Who>, lang: Lang, scheme: Scheme, rules: string[] | undefined): Promise<{ problems: string[]; givenUp: boolean }> {
  const progress = { step: 'open' }
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<'hung'>((resolve) => { timer = setTimeout(() => resolve('hung'), PAGE_LIMIT_MS) })
  const started = performance.now()
  try {
    const check = checkPage(page, base, c, lang, scheme, rules, progress).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
    const problems = await Promise.race([check, limit])
    if (Array.isArray(problems)) return { problems, givenUp: false }
    // A page that failed or hung is given up, and the sweep goes on: every problem is reported at once.
    await page.context().close().catch(() => {})
    const what = problems === 'hung' ? `no answer within ${PAGE_LIMIT_MS / 1000} s` : problems.message.split('\n')[0]
    return { problems: [`${c.path} as ${c.who} (${lang}, ${scheme}): ${what} at step «${progress.step}»`], givenUp: true }
  } finally {
    if (process.env.SWEEP_TIMING) console.log(`${(performance.now() - started).toFixed(0).padStart(6)} ms ${c.path} ${c.who} ${lang} ${scheme} ${JSON.stringify(progress)}`)
    clearTimeout(timer)
  }
}

async function checkPage<Who extends string>(page: Page, base: string, c: PageCase<Who>, lang: Lang, scheme: Scheme, rules: string[] | undefined, progress: { step: string }): Promise<string[]> {
  const where = `${c.path} as ${c.who} (${lang}, ${scheme})`
  const mark = (step: string) => { if (process.env.SWEEP_TIMING) (progress as Record<string, unknown>)[step] = Math.round(performance.now() - t0); progress.step = step }
  const t0 = performance.now()
  progress.step = 'goto'
  const size = page.viewportSize()
  if (size?.width !== DESKTOP.width) await page.setViewportSize(DESKTOP)
  const res = await page.goto(base + c.path)
  if (res?.status() !== (c.status ?? 200)) return [`${where}: status ${res?.status()}, expected ${c.status ?? 200}`]
  mark('action')
  if (c.action) await c.action(page)
  const problems: string[] = []
  // Read in the page's own world: a selector would make Playwright inject its helper script into every
  // page loaded (tens of milliseconds of compiling each).
  const htmlLang = await page.evaluate(() => document.documentElement.lang)
  if (htmlLang !== lang) problems.push(`${where}: lang attribute is ${htmlLang}`)
  mark('axe')
  // Every rule once per page; then what can change: the other languages change only words, the
  // second scheme only colours.
  const violations = await runAxe(page, rules)
  if (violations.length) problems.push(`${where}:\n${describeViolations(violations)}`)
  if (!rules) {
    mark('screenshots and reflow')
    if (c.name) await screenshot(page, `${c.name}-desktop`)
    // Media queries apply on resize: the page is not loaded again.
    await page.setViewportSize({ width: 320, height: 800 })
    if (c.name) await screenshot(page, `${c.name}-phone`)
    // Reading the layout below makes the browser lay the page out at the new width first.
    const overflow = await horizontalOverflow(page)
    if (overflow.length) problems.push(`${where} scrolls sideways at 320 px: ${overflow.join(', ')}`)
  }
  mark('done')
  return problems
}
