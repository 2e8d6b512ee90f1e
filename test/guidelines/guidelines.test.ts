import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { needsGuidelinesAcceptance } from '../../src/guidelines/service.js'
import { verifyAuditChain } from '../../src/audit/chain.js'
import { publishedPost } from '../posts/helpers.js'

test('editors publish versions; users accept the current one and are asked again for a new one', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor' })
  const employee = await makeUser(app)
  assert.equal(await needsGuidelinesAcceptance(app.db, employee.id), false, 'nothing to accept before any version')

  const ed = await loggedIn(app, editor)
  const empty = await ed.post('/guidelines', { body: '   ', note: '' }, { from: '/guidelines/edit' })
  assert.equal(empty.statusCode, 422)
  assert.match(empty.body, /Skriv retningslinjene/)
  const v1 = await ed.post('/guidelines', { body: '# Vær saklig\n\nIkke del personopplysninger.', note: 'Første versjon' }, { from: '/guidelines/edit' })
  assert.equal(v1.statusCode, 303)
  assert.equal(await needsGuidelinesAcceptance(app.db, employee.id), true)

  const emp = await loggedIn(app, employee)
  const page = await emp.get('/guidelines/accept?next=/micro')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Ikke del personopplysninger/)
  const versionId = /name="versionId" value="(\d+)"/.exec(page.body)![1]!
  const accepted = await emp.post('/guidelines/accept', { versionId, next: '/micro' })
  assert.equal(accepted.statusCode, 303)
  assert.equal(accepted.headers.location, '/micro')
  assert.equal(await needsGuidelinesAcceptance(app.db, employee.id), false)

  await ed.post('/guidelines', { body: 'Ny versjon med endringer.', note: 'Endret' }, { from: '/guidelines/edit' })
  assert.equal(await needsGuidelinesAcceptance(app.db, employee.id), true, 'a new version asks again')
  // The old form (version 1) can no longer be used to accept.
  const stale = await emp.post('/guidelines/accept', { versionId, next: '/' }, { from: '/guidelines' })
  assert.equal(stale.statusCode, 409)
  const show = await emp.get('/guidelines')
  assert.match(show.body, /Tidligere versjoner/)
  assert.equal((await verifyAuditChain(app.db)).ok, true)
})

test('an employee cannot edit the guidelines', async (t) => {
  const app = await buildTestApp(t)
  const employee = await makeUser(app)
  const emp = await loggedIn(app, employee)
  assert.equal((await emp.get('/guidelines/edit')).statusCode, 403)
  const res = await emp.post('/guidelines', { body: 'Mine egne regler' }, { from: '/guidelines' })
  assert.equal(res.statusCode, 403)
  const count = await app.db.selectFrom('guideline_versions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  assert.equal(Number(count.n), 0)
})

test('the timeline and a post page ask for consent on the very next page after a new version, and not after accepting', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor' })
  const employee = await makeUser(app)
  const postId = await publishedPost(app, await makeUser(app), editor, { title: 'Et innlegg med kommentarfelt' })
  const { slug } = await app.db.selectFrom('posts').select('slug').where('id', '=', postId).executeTakeFirstOrThrow()
  const ed = await loggedIn(app, editor)
  const emp = await loggedIn(app, employee)
  const asks = async () => Promise.all(['/micro', `/posts/${slug}`].map(async (url) => /name="acceptGuidelines"/.test((await emp.get(url)).body)))
  assert.deepEqual(await asks(), [false, false], 'no guidelines yet')
  assert.deepEqual(await asks(), [false, false], 'and again, from what was kept')
  assert.equal((await ed.post('/guidelines', { body: 'Vær saklig.', note: '' }, { from: '/guidelines/edit' })).statusCode, 303)
  assert.deepEqual(await asks(), [true, true], 'a new version asks at once')
  const versionId = /name="versionId" value="(\d+)"/.exec((await emp.get('/guidelines/accept?next=/micro')).body)![1]!
  assert.equal((await emp.post('/guidelines/accept', { versionId, next: '/micro' })).statusCode, 303)
  assert.deepEqual(await asks(), [false, false], 'accepted: asked no more')
  assert.equal((await ed.post('/guidelines', { body: 'Vær saklig og vennlig.', note: '' }, { from: '/guidelines/edit' })).statusCode, 303)
  assert.deepEqual(await asks(), [true, true], 'the next version asks again')
})
