// axe-core in the page under test. Evaluated through the DevTools protocol, so the site's strict CSP
// (no inline scripts) stays on while we test.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const require = createRequire(import.meta.url)
export const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
export const SCREENSHOT_DIR = path.resolve('test-output/screenshots')

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }

/**
 * The WCAG 2.1 A/AA rules whose outcome depends on the page's words: names, titles, alternative
 * texts and language attributes. Structure, roles and colours are the same in every language, so a
 * page already checked in one language needs only these in another.
 */
export const WORD_RULES = [
  'area-alt', 'aria-command-name', 'aria-input-field-name', 'aria-meter-name', 'aria-progressbar-name', 'aria-roledescription',
  'aria-tab-name', 'aria-toggle-field-name', 'aria-tooltip-name', 'button-name', 'document-title', 'frame-title', 'frame-title-unique',
  'html-has-lang', 'html-lang-valid', 'html-xml-lang-mismatch', 'image-alt', 'input-button-name', 'input-image-alt', 'label',
  'label-content-name-mismatch', 'link-name', 'object-alt', 'role-img-alt', 'select-name', 'summary-name', 'svg-img-alt', 'valid-lang',
]

/** The rules for a page already checked in full in another language: the words, and contrast when the colour scheme differs too. */
export function rulesForAnother(options: { language: boolean; scheme: boolean }): string[] {
  return [...(options.language ? WORD_RULES : []), ...(options.scheme ? ['color-contrast'] : [])]
}

/**
 * Style sheets (paths, or the text of inline ones) whose orientation rule has run in this process.
 * css-orientation-lock (WCAG 1.3.4) is marked experimental in axe, so a run by WCAG tags leaves it
 * out: it is asked for by name. It is the only rule that reads the style sheets, and preloading
 * them costs more than all the other rules on most pages; the site's pages share one sheet, so the
 * rule runs once per set of sheets, not on every page.
 */
const orientationChecked = new Set<string>()

/** Runs the WCAG 2.1 A/AA rules, or only `rules` (e.g. ['color-contrast'] for a second colour scheme). */
export async function runAxe(page: Page, rules?: string[]): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined')
  if (!hasAxe) await page.evaluate(AXE_SOURCE)
  let orientation = false
  if (!rules) {
    // By path: every test app serves the same files, each on a port of its own.
    const sheets = JSON.stringify(await page.evaluate(() => [...document.styleSheets].map((s) => (s.href ? new URL(s.href).pathname : s.ownerNode?.textContent ?? ''))))
    orientation = !orientationChecked.has(sheets)
    orientationChecked.add(sheets)
  }
  return page.evaluate(async ({ only, orientation }) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe
    const runOnly = only ? { type: 'rule', values: only } : { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
    // Only violations are read: axe skips the details of passes and inapplicable rules (much faster).
    // Only the orientation rule reads the style sheets: without it no CSSOM is preloaded.
    const result = await axe.run(document, {
      runOnly, resultTypes: ['violations'], preload: orientation || !!only?.includes('css-orientation-lock'),
      ...(orientation ? { rules: { 'css-orientation-lock': { enabled: true } } } : {}),
    })
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }))
  }, { only: rules, orientation })
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n')}`)
    .join('\n')
}

/**
 * What makes the page scroll sideways at the current viewport (WCAG 1.4.10 reflow): empty when it
 * does not; else the widest offending elements.
 */
export async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth + 1) return []
    return [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(-5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${String(e.className)} right=${Math.round(e.getBoundingClientRect().right)}`)
      .concat(`scrollWidth=${document.documentElement.scrollWidth}`)
  })
}

/** Where the screenshot `name` is saved: JPEG, which Chromium encodes in half the time of PNG for a long page. */
export function screenshotPath(name: string): string {
  return path.join(SCREENSHOT_DIR, `${name}.jpg`)
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: screenshotPath(name), fullPage: true, type: 'jpeg', quality: 85 })
}
