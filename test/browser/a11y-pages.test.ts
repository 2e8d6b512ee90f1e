// Every kind of page, as the role that sees it, in bokmål, nynorsk and English (and bokmål in the
// dark scheme), through axe-core's WCAG 2.1 A/AA rules: zero violations. Also: the lang attribute,
// reflow at 320 CSS px, and a desktop and a phone screenshot of each page kind in test-output/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen, loggedInContext } from '../helpers/browser.js'
import { describeViolations, horizontalOverflow, runAxe, screenshot } from '../helpers/axe.js'
import { makeUser } from '../helpers/users.js'
import { asCurrent, publishedPost } from '../posts/helpers.js'
import { createPost } from '../../src/posts/service.js'
import { submitForReview } from '../../src/editorial/service.js'
import { postUpdate } from '../../src/micro/service.js'
import { postComment } from '../../src/comments/service.js'
import { reportItem } from '../../src/moderation/service.js'

let browser: Browser
before(async () => { browser = await launchBrowser() })
after(async () => { await browser?.close() })

type Who = 'employee' | 'editor'
interface PageCase { who: Who; path: string; name: string; status?: number; action?: (p: Page) => Promise<void> }

test('every page kind passes axe (WCAG 2.1 AA) in three languages and two colour schemes', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor+admin', username: 'anne', displayName: 'Anne Andersen' })
  const editor2 = await makeUser(app, { role: 'editor', username: 'eva' })
  const employee = await makeUser(app, { username: 'per', displayName: 'Per Persen' })

  const postId = await publishedPost(app, employee, editor, {
    title: 'Kommunen tester nye verktøy', lead: 'Om digitale verktøy i Trondheim kommune.',
    body: '## Bakgrunn\n\nKommunen prøver ut **nye verktøy**.\n\n| Verktøy | Status |\n| --- | --- |\n| Blogg | I bruk |\n\n- Ett\n- To',
    tags: 'ikt, digitalisering',
  })
  const post = await app.db.selectFrom('posts').select(['slug']).where('id', '=', postId).executeTakeFirstOrThrow()
  const comment = await postComment(app.db, asCurrent(editor2, { isEditor: true }), { postId, body: 'Godt skrevet, @per!' })
  await postComment(app.db, asCurrent(employee), { postId, parentId: comment.id, body: 'Takk for det.' })
  await reportItem(app.db, asCurrent(employee), 'comment', comment.id, 'Dette er en test av rapportering.')
  const rootId = await postUpdate(app.db, asCurrent(editor), { body: 'Hei @per, se #ikt-siden: https://example.com' })
  await postUpdate(app.db, asCurrent(employee), { body: 'Takk, @anne!', replyToId: rootId })
  const draft = await createPost(app.db, asCurrent(employee), { title: 'Til vurdering', body: 'Et utkast.', lead: '', tags: 'ikt', coverUploadId: null })
  await submitForReview(app.db, asCurrent(employee), draft.id, {}, { fourEyes: true })

  const base = await listen(app)
  const pages: PageCase[] = [
    { who: 'employee', path: '/', name: 'front' },
    { who: 'employee', path: `/posts/${post.slug}`, name: 'post' },
    { who: 'employee', path: '/tags', name: 'tag-index' },
    { who: 'employee', path: '/tags/ikt', name: 'tag-archive' },
    { who: 'employee', path: `/users/${employee.username}`, name: 'author' },
    { who: 'employee', path: `/users/${editor.username}/updates`, name: 'user-updates' },
    { who: 'employee', path: '/micro', name: 'micro' },
    { who: 'employee', path: `/micro/${rootId}`, name: 'micro-thread' },
    { who: 'employee', path: '/search?q=kommune', name: 'search-results' },
    { who: 'employee', path: '/search?q=zzqqxx', name: 'search-none' },
    { who: 'employee', path: '/search', name: 'search-empty' },
    { who: 'employee', path: '/notifications', name: 'notifications' },
    { who: 'employee', path: '/settings', name: 'settings' },
    { who: 'employee', path: '/settings/notifications', name: 'settings-notifications' },
    { who: 'employee', path: '/settings/feeds', name: 'settings-feeds' },
    { who: 'employee', path: '/my/posts', name: 'my-posts' },
    { who: 'employee', path: '/my/images', name: 'my-images' },
    { who: 'editor', path: `/report/comment/${comment.id}`, name: 'report' },
    {
      who: 'employee', path: '/posts/new', name: 'editor-errors',
      action: async (p) => { await p.click('#post_form button[value=save]'); await p.waitForSelector('#error_summary') },
    },
    { who: 'employee', path: '/guidelines', name: 'guidelines' },
    { who: 'employee', path: '/accessibility', name: 'accessibility' },
    { who: 'employee', path: '/editorial', name: 'error-403', status: 403 },
    { who: 'employee', path: '/posts/no-such-post', name: 'error-404', status: 404 },
    { who: 'editor', path: '/editorial', name: 'editorial-queue' },
    { who: 'editor', path: `/editorial/posts/${draft.id}`, name: 'review' },
    { who: 'editor', path: `/posts/${postId}/history`, name: 'history' },
    { who: 'editor', path: '/moderation', name: 'moderation' },
    { who: 'editor', path: '/admin/users', name: 'admin-users' },
  ]

  const failures: string[] = []
  for (const [lang, scheme] of [['nb', 'light'], ['nn', 'light'], ['en', 'light'], ['nb', 'dark']] as const) {
    const ctx = { employee: await loggedInContext(t, browser, base, employee, lang, scheme), editor: await loggedInContext(t, browser, base, editor, lang, scheme) }
    for (const p of pages) {
      const page = await ctx[p.who].newPage()
      const res = await page.goto(base + p.path)
      assert.equal(res?.status(), p.status ?? 200, `${p.path} as ${p.who}`)
      if (p.action) await p.action(page)
      assert.equal(await page.getAttribute('html', 'lang'), lang, `${p.path}: lang attribute`)
      // The dark scheme changes colours only: its pass checks contrast.
      const violations = await runAxe(page, scheme === 'dark' ? ['color-contrast'] : undefined)
      if (violations.length) failures.push(`${p.path} as ${p.who} (${lang}, ${scheme}):\n${describeViolations(violations)}`)
      if (lang === 'nb' && scheme === 'light') {
        await screenshot(page, `${p.name}-desktop`)
        await page.setViewportSize({ width: 320, height: 800 })
        if (!p.action) await page.reload()
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))))
        await screenshot(page, `${p.name}-phone`)
        const overflow = await horizontalOverflow(page)
        if (overflow.length) failures.push(`${p.path} scrolls sideways at 320 px: ${overflow.join(', ')}`)
      }
      await page.close()
    }
  }
  assert.deepEqual(failures, [], failures.join('\n\n'))
})
