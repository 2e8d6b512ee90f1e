import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { sql } from 'kysely'
import { unzipSync } from 'fflate'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { makeUser, type TestUser } from '../helpers/users.js'
import { loggedIn } from '../helpers/client.js'
import { asCurrent, publishedPost } from '../posts/helpers.js'
import { postComment } from '../../src/comments/service.js'
import { postUpdate, toggleLike } from '../../src/micro/service.js'
import { verifyAuditChain } from '../../src/audit/chain.js'

const NAME = 'Petronella Personvernsen'
// Columns that hold a person's id, across every table (an independent list from the export's).
const PERSON_COLUMNS = /^(id|user_id|author_id|actor_id|owner_id|reporter_id|created_by|hidden_by|resolved_by|updated_by)$/

async function seedPerson(app: FastifyInstance) {
  const person = await makeUser(app, { username: 'petronella', displayName: NAME, email: 'petronella@example.org' })
  const other = await makeUser(app, { displayName: 'Odd Annen' })
  const editor = await makeUser(app, { role: 'editor', displayName: 'Rita Redaktør' })
  const own = await publishedPost(app, person, editor, { title: 'Mitt innlegg', body: 'Innhold fra personen.', tags: 'personvern' })
  const others = await publishedPost(app, other, editor, { title: 'Annens innlegg' })
  await postComment(app.db, asCurrent(person), { postId: others, body: 'En kommentar fra personen.' })
  await postComment(app.db, asCurrent(other), { postId: own, body: 'Svar til personen.' }) // a notification for the person
  const update = await postUpdate(app.db, asCurrent(person), { body: 'En oppdatering fra personen.' })
  await toggleLike(app.db, asCurrent(other), update)
  const otherUpdate = await postUpdate(app.db, asCurrent(other), { body: 'Annens oppdatering.' })
  await toggleLike(app.db, asCurrent(person), otherUpdate)
  // An image the person uploaded (the row and the file, as the uploads feature stores them).
  await fs.mkdir(path.join(app.config.uploadsDir, '2026/11'), { recursive: true })
  await fs.writeFile(path.join(app.config.uploadsDir, '2026/11/abc.webp'), Buffer.from('RIFF-test-image'))
  await app.db.insertInto('uploads').values({ owner_id: person.id, path: '2026/11/abc.webp', mime: 'image/webp', width: 1, height: 1, bytes: 15, created_at: new Date().toISOString() }).execute()
  return { person, other, editor, own, others, update }
}

async function allRows(app: FastifyInstance) {
  const { rows: tables } = app.database.kind === 'sqlite'
    ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'search_index%'`.execute(app.db)
    : await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'search_index%'`.execute(app.db)
  const out: { table: string; row: Record<string, unknown> }[] = []
  for (const { name } of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(app.db)
    for (const row of rows) out.push({ table: name, row })
  }
  return out
}

async function download(app: FastifyInstance, user: TestUser) {
  const c = await loggedIn(app, user)
  await c.get('/settings/privacy')
  const res = await c.post('/settings/privacy/export', {})
  assert.equal(res.statusCode, 200)
  assert.equal(res.headers['content-type'], 'application/zip')
  return unzipSync(new Uint8Array(res.rawPayload))
}

test('a person downloads every row about them, a readable page and their images; secrets stay out', async (t) => {
  const app = await buildTestApp(t)
  const s = await seedPerson(app)
  const files = await download(app, s.person)
  const data = JSON.parse(Buffer.from(files['data.json']!).toString('utf8')) as Record<string, Record<string, unknown>[]>

  const about = (await allRows(app)).filter(({ table, row }) => Object.entries(row).some(([k, v]) => PERSON_COLUMNS.test(k) && v === s.person.id && (k !== 'id' || table === 'users')))
  assert.ok(about.length >= 12, `only ${about.length} rows about the person`)
  for (const { table, row } of about) {
    const exported = data[table] ?? []
    // A session's last request moves on while we look; the rest of the row must match.
    const found = exported.some((e) => Object.keys(row).every((k) => e[k] === row[k] || e[k] === '[hidden]' || k === 'last_seen_at'))
    assert.ok(found, `${table} row ${JSON.stringify(row).slice(0, 120)} is missing from the export`)
  }
  const json = Buffer.from(files['data.json']!).toString('utf8')
  const hash = (await app.db.selectFrom('users').select('password_hash').where('id', '=', s.person.id).executeTakeFirstOrThrow()).password_hash!
  assert.ok(!json.includes(hash))
  const html = Buffer.from(files['index.html']!).toString('utf8')
  assert.match(html, new RegExp(`<h1>Data om ${NAME} i Betablogg</h1>`))
  assert.match(html, /En kommentar fra personen\./)
  assert.equal(Buffer.from(files[`images/${(await app.db.selectFrom('uploads').select('id').executeTakeFirstOrThrow()).id}.webp`]!).toString(), 'RIFF-test-image')
  // Someone else's export has none of it.
  const theirs = Buffer.from((await download(app, s.other))['data.json']!).toString('utf8')
  assert.ok(!theirs.includes(NAME))
})

test('an administrator anonymises a person: the name appears nowhere, the choices hold, the audit trail still verifies', async (t) => {
  const app = await buildTestApp(t)
  const s = await seedPerson(app)
  const admin = await makeUser(app, { role: 'admin' })
  const c = await loggedIn(app, admin)
  const page = await c.get(`/admin/users/${s.person.id}/privacy`)
  assert.equal(page.statusCode, 200)
  const bad = await c.post(`/admin/users/${s.person.id}/privacy`, { mode: 'anonymise', posts: 'keep' })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /id="f_comments-error">Velg ett av alternativene/)
  assert.match(bad.body, /id="f_confirm-error">Kryss av for å bekrefte/)
  assert.match(bad.body, /id="f_posts-keep" name="posts" value="keep" checked/)

  const res = await c.post(`/admin/users/${s.person.id}/privacy`, { mode: 'anonymise', posts: 'keep', comments: 'delete', updates: 'delete', confirm: 'on' }, { from: `/admin/users/${s.person.id}/privacy` })
  assert.equal(res.statusCode, 303)

  for (const { table, row } of await allRows(app)) {
    const text = JSON.stringify(row)
    for (const needle of [NAME, 'petronella', 'Petronella']) assert.ok(!text.includes(needle), `${table} still names the person: ${text.slice(0, 200)}`)
  }
  const post = await app.db.selectFrom('posts').selectAll().where('id', '=', s.own).executeTakeFirstOrThrow()
  assert.equal(post.status, 'published')
  const comments = await app.db.selectFrom('comments').selectAll().where('author_id', '=', s.person.id).execute()
  assert.ok(comments.every((x) => x.deleted_at && x.body_md === ''))
  const updates = await app.db.selectFrom('micro_posts').selectAll().where('author_id', '=', s.person.id).execute()
  assert.ok(updates.every((x) => x.deleted_at && x.body === ''))
  assert.equal((await app.db.selectFrom('sessions').select('id').where('user_id', '=', s.person.id).execute()).length, 0)
  const shown = await c.get(`/posts/${post.slug}`)
  assert.match(shown.body, new RegExp(`Anonymisert bruker ${s.person.id}`))

  const verified = await verifyAuditChain(app.db)
  assert.equal(verified.ok, true)
  const erase = await app.db.selectFrom('audit_events').selectAll().where('action', '=', 'user.erase').executeTakeFirstOrThrow()
  assert.equal(erase.note, 'mode=anonymise posts=keep comments=delete updates=delete')
  // The pseudonymised entries are still protected: altering one breaks verification.
  const sealed = await app.db.selectFrom('audit_redactions').select('event_id').executeTakeFirstOrThrow()
  await app.db.updateTable('audit_events').set({ note: 'changed' }).where('id', '=', sealed.event_id).execute()
  assert.deepEqual((await verifyAuditChain(app.db)).brokenAt, { id: sealed.event_id, reason: 'hash' })
})

test('delete removes everything the person wrote; administrators cannot be erased; only administrators may erase', async (t) => {
  const app = await buildTestApp(t)
  const s = await seedPerson(app)
  const admin = await makeUser(app, { role: 'admin' })
  const c = await loggedIn(app, admin)
  const res = await c.post(`/admin/users/${s.person.id}/privacy`, { mode: 'delete', confirm: 'on' }, { from: `/admin/users/${s.person.id}/privacy` })
  assert.equal(res.statusCode, 303)
  assert.equal((await app.db.selectFrom('posts').select('id').where('author_id', '=', s.person.id).execute()).length, 0)
  assert.equal((await app.db.selectFrom('tags').select('post_count').where('name', '=', 'personvern').executeTakeFirst())?.post_count ?? 0, 0)
  assert.equal((await verifyAuditChain(app.db)).ok, true)
  const done = await c.get(`/admin/users/${s.person.id}/privacy?done=1`)
  assert.match(done.body, /Personen er anonymisert/)

  const admin2 = await makeUser(app, { role: 'admin' })
  const refused = await c.post(`/admin/users/${admin2.id}/privacy`, { mode: 'delete', confirm: 'on' }, { from: `/admin/users/${admin2.id}/privacy` })
  assert.equal(refused.statusCode, 409)
  assert.match(refused.body, /administratorrollen først/)
  const editor = await loggedIn(app, s.editor)
  assert.equal((await editor.get(`/admin/users/${s.other.id}/privacy`)).statusCode, 403)
  const en = await editor.get('/settings/privacy', { 'accept-language': 'en' })
  assert.equal(en.statusCode, 200)
})
