// Every kind of page, as the role that sees it, in bokmål, nynorsk and English (and bokmål in the
// dark scheme), through axe-core's WCAG 2.1 A/AA rules: zero violations. Also: the lang attribute,
// reflow at 320 CSS px, and desktop and phone screenshots of the main page kinds in test-output/.
import { test, before, after } from 'node:test'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { launchBrowser, listen } from '../helpers/browser.js'
import { sweepPages, type PageCase } from '../helpers/page-sweep.js'
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
  const ownDraft = await createPost(app.db, asCurrent(employee), {
    title: 'Slik kommer du i gang med bloggen', lead: 'Fem råd for første innlegg.',
    body: '## Skriv kort\n\nEtt poeng per avsnitt. [Les retningslinjene](/guidelines).', tags: 'ikt, skriving', coverUploadId: null,
  })

  const base = await listen(app)
  const pages: PageCase<Who>[] = [
    { who: 'employee', path: '/', name: 'front' },
    { who: 'employee', path: `/posts/${post.slug}`, name: 'post' },
    { who: 'employee', path: '/tags' },
    { who: 'employee', path: '/tags/ikt', name: 'tag-archive' },
    { who: 'employee', path: `/users/${employee.username}`, name: 'author' },
    { who: 'employee', path: `/users/${editor.username}/updates` },
    { who: 'employee', path: '/micro', name: 'micro' },
    { who: 'employee', path: `/micro/${rootId}` },
    { who: 'employee', path: '/search?q=kommune', name: 'search-results' },
    { who: 'employee', path: '/search?q=zzqqxx' },
    { who: 'employee', path: '/search' },
    { who: 'employee', path: '/notifications', name: 'notifications' },
    { who: 'employee', path: '/settings' },
    { who: 'employee', path: '/settings/notifications' },
    { who: 'employee', path: '/settings/feeds' },
    { who: 'employee', path: '/my/posts' },
    { who: 'employee', path: '/my/images' },
    { who: 'editor', path: `/report/comment/${comment.id}` },
    { who: 'employee', path: `/posts/${ownDraft.id}/edit`, name: 'editor' },
    {
      who: 'employee', path: '/posts/new', name: 'editor-errors',
      action: async (p) => { await p.click('#post_form button[value=save]'); await p.waitForSelector('#error_summary') },
    },
    { who: 'employee', path: '/guidelines' },
    { who: 'employee', path: '/accessibility' },
    { who: 'employee', path: '/editorial', status: 403 },
    { who: 'employee', path: '/posts/no-such-post', status: 404 },
    { who: 'editor', path: '/editorial', name: 'editorial-queue' },
    { who: 'editor', path: `/editorial/posts/${draft.id}`, name: 'review' },
    { who: 'editor', path: `/posts/${postId}/history` },
    { who: 'editor', path: '/moderation' },
    { who: 'editor', path: '/admin/users' },
  ]

  await sweepPages(t, browser, { base, users: { employee, editor }, cases: pages })
})
