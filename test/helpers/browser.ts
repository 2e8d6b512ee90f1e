// Browser journeys: Debian's Chromium driven by playwright-core against the real app listening on
// 127.0.0.1. One browser per test file; each test gets its own context (cookies) and app.
import fs from 'node:fs'
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']

export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`)
    return fromEnv
  }
  const found = CANDIDATES.find((p) => fs.existsSync(p))
  if (!found) {
    throw new Error(
      'Browser tests need Chromium and none was found. Install it with `sudo apt-get install -y chromium` ' +
        `(Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary. Looked in: ${CANDIDATES.join(', ')}`,
    )
  }
  return found
}

/**
 * Chromium shares memory between its processes through /dev/shm. Where that is small (a container's
 * default 64 MB) it must use files in /tmp instead; where it is not, those files cost a disk's
 * writeback and the kernel time to do it.
 */
function smallSharedMemory(): boolean {
  try {
    const { bavail, bsize } = fs.statfsSync('/dev/shm')
    return bavail * bsize < 1024 ** 3
  } catch {
    return true
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...(smallSharedMemory() ? ['--disable-dev-shm-usage'] : []),
    ],
  })
}

/** Starts the app on a free loopback port; returns its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address()
  if (!addr || typeof addr === 'string') throw new Error('no address')
  return `http://127.0.0.1:${addr.port}`
}

export async function newContext(t: TestContext, browser: Browser, opts: { javaScriptEnabled?: boolean; locale?: string; width?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    locale: opts.locale ?? 'nb-NO',
    viewport: { width: opts.width ?? 1280, height: 900 },
    colorScheme: opts.colorScheme ?? 'light',
  })
  // A limit for a hang, not a measure of speed: at the start of a run three files launch their
  // browsers beside the type check, and a new context's first page has taken over 10 s to load.
  context.setDefaultTimeout(30_000)
  t.after(() => context.close())
  return context
}

/** A context in `lang` (the language cookie) and colour scheme, logged in as `user` through /login. */
export async function loggedInContext(
  t: TestContext, browser: Browser, base: string,
  user: { username: string; password: string } | null, lang = 'nb', colorScheme: 'light' | 'dark' = 'light',
): Promise<BrowserContext> {
  const ctx = await newContext(t, browser, { colorScheme })
  await ctx.addCookies([{ name: 'lang', value: lang, url: base }])
  if (user) {
    const page = await ctx.newPage()
    await page.goto(base + '/login')
    await page.fill('#f_identifier', user.username)
    await page.fill('#f_password', user.password)
    await page.click('main button[type=submit].primary')
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
    await page.close()
  }
  return ctx
}

/**
 * What an in-place action announced (static/app.js): the status is emptied when the page changes and
 * the sentence set 50 ms later (so it is read again), so this waits for the sentence.
 */
export async function announcement(page: Page): Promise<string> {
  const sentence = await page.waitForFunction(() => document.getElementById('in_place_status')?.textContent || undefined)
  return (await sentence.jsonValue()) as string
}
