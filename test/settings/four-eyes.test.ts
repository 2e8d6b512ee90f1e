// Issue 14, four eyes explained: a sole editor publishes; a second editor turns four eyes on at once.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { postRow, writePost } from '../posts/helpers.js'

test('a new site whose only editor is the administrator publishes; the settings page explains it', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'editor+admin' })
  const c = await loggedIn(app, admin)
  const page = await c.get('/admin/settings')
  assert.match(page.body, /Fire øyne betyr at en annen redaktør enn forfatteren godkjenner/)
  assert.match(page.body, /Nå: 1 aktiv redaktør – fire øyne gjelder ikke\./)
  assert.match(page.body, /id="f_fourEyesMode-auto" name="fourEyesMode" value="auto" checked/)

  const { id } = await writePost(c, { title: 'Første innlegg' })
  await c.post(`/posts/${id}/submit`, {}, { from: `/posts/${id}/submit` })
  const review = await c.get(`/editorial/posts/${id}`)
  assert.match(review.body, /value="publish"/, 'the sole editor may publish their own post')
  const ok = await c.post(`/editorial/posts/${id}/decide`, { decision: 'publish', note: '' })
  assert.equal(ok.statusCode, 303)
  assert.equal((await postRow(app, id)).status, 'published')

  // A second editor is appointed: from the very next decision, someone else must approve.
  const other = await makeUser(app)
  await c.post(`/admin/users/${other.id}/roles`, { isEditor: 'on' }, { from: `/admin/users/${other.id}` })
  assert.match((await c.get('/admin/settings')).body, /Nå: 2 eller flere aktive redaktører – fire øyne gjelder\./)
  const second = await writePost(c, { title: 'Andre innlegg' })
  await c.post(`/posts/${second.id}/submit`, {}, { from: `/posts/${second.id}/submit` })
  const refused = await c.post(`/editorial/posts/${second.id}/decide`, { decision: 'publish', note: '' }, { from: `/editorial/posts/${second.id}` })
  assert.equal(refused.statusCode, 409)
  assert.equal((await postRow(app, second.id)).status, 'submitted')
})

test('"always" keeps a sole editor from approving their own post; an unknown mode is refused; English page', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'editor+admin' })
  const c = await loggedIn(app, admin)
  const bad = await c.post('/admin/settings', { visibility: 'internal', fourEyesMode: 'sometimes', queueReminderDays: '3' }, { from: '/admin/settings' })
  assert.equal(bad.statusCode, 422)
  const saved = await c.post('/admin/settings', { visibility: 'internal', fourEyesMode: 'always', queueReminderDays: '3' }, { from: '/admin/settings' })
  assert.equal(saved.statusCode, 303)
  assert.equal((await app.settings.get()).fourEyes, true)
  const { id } = await writePost(c, { title: 'Mitt eget' })
  await c.post(`/posts/${id}/submit`, {}, { from: `/posts/${id}/submit` })
  assert.equal((await c.post(`/editorial/posts/${id}/decide`, { decision: 'publish', note: '' }, { from: `/editorial/posts/${id}` })).statusCode, 409)
  const en = await c.get('/admin/settings', { 'accept-language': 'en' })
  assert.ok(en.body.includes('Four eyes means') || en.body.includes('Fire øyne betyr'))
})
