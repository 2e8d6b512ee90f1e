import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { publishedPost, writePost } from '../posts/helpers.js'

test('tag archive: the published posts and the visible microblog updates that carry the tag', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app, { username: 'anne' })
  const editor = await makeUser(app, { role: 'editor' })
  await publishedPost(app, author, editor, { title: 'Om IKT i skolen', tags: 'IKT, skole' }, new Date('2026-02-01T10:00:00.000Z'))
  await publishedPost(app, author, editor, { title: 'Bare skole', tags: 'skole' })
  const c = await loggedIn(app, author)
  await writePost(c, { title: 'Utkast med ikt', tags: 'ikt' })

  const tag = await app.db.selectFrom('tags').select('id').where('name', '=', 'ikt').executeTakeFirstOrThrow()
  const micro = async (body: string, extra: { hidden_at?: string; deleted_at?: string } = {}) => {
    const row = await app.db.insertInto('micro_posts')
      .values({ author_id: author.id, body, body_html: `<p>${body} <a href="/tags/ikt">#ikt</a></p>`, created_at: new Date().toISOString(), ...extra })
      .returning('id').executeTakeFirstOrThrow()
    await app.db.insertInto('micro_tags').values({ micro_id: row.id, tag_id: tag.id, created_at: new Date().toISOString() }).execute()
  }
  await micro('Synlig oppdatering')
  await micro('Skjult oppdatering', { hidden_at: new Date().toISOString() })
  await micro('Slettet oppdatering', { deleted_at: new Date().toISOString() })
  await app.db.updateTable('tags').set({ micro_count: 1 }).where('id', '=', tag.id).execute()

  const page = await c.get('/tags/ikt')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h1>Stikkordarkiv: ikt<\/h1>/)
  assert.match(page.body, /Om IKT i skolen/)
  assert.doesNotMatch(page.body, /Bare skole/)
  assert.doesNotMatch(page.body, /Utkast med ikt/)
  assert.match(page.body, /<p>Synlig oppdatering <a href="\/tags\/ikt">#ikt<\/a><\/p>/, 'the microblog HTML as stored')
  assert.doesNotMatch(page.body, /Skjult oppdatering|Slettet oppdatering/)

  const index = await c.get('/tags')
  assert.match(index.body, /<a href="\/tags\/ikt">ikt<\/a> <span class="muted">\(innlegg: 1, oppdateringer: 1\)<\/span>/)
  assert.match(index.body, /<a href="\/tags\/skole">skole<\/a> <span class="muted">\(innlegg: 2, oppdateringer: 0\)<\/span>/)
})

test('tags are case-insensitive and normalised; unknown tags are 404', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  await publishedPost(app, author, await makeUser(app, { role: 'editor' }), { title: 'Økonomi', tags: 'Økonomi' })
  const c = await loggedIn(app, author)
  const upper = await c.get('/tags/IKT')
  assert.equal(upper.statusCode, 301)
  assert.equal(upper.headers.location, '/tags/ikt')
  const norwegian = await c.get(`/tags/${encodeURIComponent('ØKONOMI')}`)
  assert.equal(norwegian.statusCode, 301)
  assert.equal(norwegian.headers.location, `/tags/${encodeURIComponent('økonomi')}`)
  const ok = await c.get(String(norwegian.headers.location))
  assert.equal(ok.statusCode, 200)
  assert.match(ok.body, /Stikkordarkiv: økonomi/)
  assert.equal((await c.get('/tags/ikt')).statusCode, 404, 'not used by anything')
  assert.equal((await c.get(`/tags/${encodeURIComponent('<script>')}`)).statusCode, 404)
})

test('the tag index has an empty state', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  await writePost(c, { title: 'Utkast', tags: 'ikt' })
  const index = await c.get('/tags')
  assert.equal(index.statusCode, 200)
  assert.match(index.body, /Ingen stikkord er i bruk ennå/, 'tags of drafts do not count')
})
