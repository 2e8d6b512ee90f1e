// The review page shows what changed since the editors last saw a post: rendered, with <ins>/<del>.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { markChanges } from '../../src/markdown/index.js'
import { renderMarkdown } from '../../src/markdown/index.js'
import { createPost, savePost } from '../../src/posts/service.js'
import { decide, submitForReview } from '../../src/editorial/service.js'
import { asCurrent, publishedPost, RULES } from '../posts/helpers.js'

const L = { added: 'Lagt til:', removed: 'Fjernet:' }
const INS = '<ins><span class="visually-hidden">Lagt til: </span>'
const DEL = '<del><span class="visually-hidden">Fjernet: </span>'

test('markChanges: the new markup, new words in <ins>, removed words in <del>, labelled', () => {
  const before = renderMarkdown('Vi har **store** skjermer.\n\n- en\n- to\n\nGammelt avsnitt.', 'post')
  const after = renderMarkdown('Vi har **nye, store** skjermer.\n\n- en\n- tre', 'post')
  const html = markChanges(before, after, L)!
  assert.match(html, new RegExp(`<strong>${INS}nye, </ins>store</strong>`))
  assert.match(html, new RegExp(`<li>${DEL}to</del>${INS}tre</ins></li>`))
  assert.match(html, new RegExp(`<p>${DEL}Gammelt avsnitt\\.</del></p>`), 'a removed paragraph stays readable, as a paragraph')
  assert.doesNotMatch(html, /<ul>\s*<del|<\/li>\s*<del/, 'nothing but list items directly in a list')
  // Without the marks, exactly the new version.
  assert.equal(html.replace(/<ins><span class="visually-hidden">[^<]*<\/span>|<\/ins>/g, '').replace(/<del>.*?<\/del>/g, '').replace(/<p><\/p>\n/g, ''), after)
})

test('markChanges: removed text stays escaped; labels are escaped; unmarkable changes give undefined', () => {
  const html = markChanges(renderMarkdown('a &lt;script&gt; b', 'post'), renderMarkdown('a b', 'post'), { added: '<x>', removed: '<y>' })!
  assert.match(html, /&lt;script&gt;/)
  assert.doesNotMatch(html, /<script|<y>/)
  const long = (w: string) => renderMarkdown(Array.from({ length: 3000 }, (_, i) => `${w}${i}`).join(' '), 'post')
  assert.equal(markChanges(long('a'), long('b'), L), undefined)
})

test('a post sent back and sent again: the review page marks what changed since the editors saw it', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const a = asCurrent(author)
  const { id } = await createPost(app.db, a, { title: 'Skjermer', body: '## Oppsett\n\nVi har store skjermer.\n\nDette avsnittet går ut.', lead: '', tags: '', coverUploadId: null })
  await submitForReview(app.db, a, id, {}, RULES)
  await decide(app.db, asCurrent(editor, { isEditor: true }), id, 'request-changes', { note: 'Kortere, takk.' }, RULES)
  await savePost(app.db, a, id, { title: 'Nye skjermer', body: '## Oppsett\n\nVi har nye, store skjermer.', lead: '', tags: '', coverUploadId: null }, RULES)
  await submitForReview(app.db, a, id, {}, RULES)

  const ed = await loggedIn(app, editor)
  const page = await ed.get(`/editorial/posts/${id}`)
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h2 id="diff_heading">Endringer siden forrige gjennomgang<\/h2>/)
  assert.match(page.body, /Sammenlignet med versjonen redaksjonen så/)
  const marked = /<div class="post-preview marked-changes">([\s\S]*?)<p class="hint diff-legend">/.exec(page.body)?.[1] ?? ''
  assert.match(marked, new RegExp(`<strong>Tittel:</strong> ${DEL}Skjermer</del>${INS}Nye skjermer</ins>`), 'the title change')
  assert.match(marked, /<h2 id="oppsett">Oppsett<\/h2>/, 'rendered, not Markdown')
  assert.match(marked, new RegExp(`Vi har ${INS}nye, </ins>store skjermer\\.`))
  assert.match(marked, new RegExp(`${DEL}Dette avsnittet går ut\\.</del>`))
  assert.match(page.body, /<details class="markdown-diff" id="markdown_diff">\s*<summary>Vis endringene i Markdown<\/summary>/, 'the Markdown diff one click away')

  // In English too; and a first review (nothing seen before) shows no comparison.
  const en = await ed.get(`/editorial/posts/${id}`, { cookie: `${[...ed.cookies].map(([k, v]) => `${k}=${v}`).join('; ')}; lang=en` })
  assert.match(en.body, /Changes since the last review/)
  const other = await createPost(app.db, a, { title: 'Første gang', body: 'Tekst', lead: '', tags: '', coverUploadId: null })
  await submitForReview(app.db, a, other.id, {}, RULES)
  assert.doesNotMatch((await ed.get(`/editorial/posts/${other.id}`)).body, /diff_heading/)
})

test('a change to a published post is still compared with the published version', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const id = await publishedPost(app, author, editor, { title: 'Levende', body: 'Gammel tekst.' })
  await savePost(app.db, asCurrent(author), id, { title: 'Levende', body: 'Ny tekst.', lead: '', tags: '', coverUploadId: null }, RULES)
  await submitForReview(app.db, asCurrent(author), id, {}, RULES)
  const page = await (await loggedIn(app, editor)).get(`/editorial/posts/${id}`)
  assert.match(page.body, /Endringer fra den publiserte versjonen/)
  assert.match(page.body, new RegExp(`${DEL}Gammel</del>${INS}Ny</ins> tekst\\.`))
})
