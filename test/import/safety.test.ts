// The importer is safe to run: again (changes nothing), as a dry run (writes nothing), on a broken
// file (writes nothing), and when a post fails half-way (nothing of that post is written).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { sql } from 'kysely'
import { makeUser } from '../helpers/users.js'
import { changedNothing, formatReport } from '../../src/import/report.js'
import { WxrError } from '../../src/wordpress/wxr-types.js'
import { badInputs, buildWxr, IDS, sampleSpec, type ItemSpec } from '../wordpress/fixtures.js'
import { countRows, importFixture, listFiles, oldUploads, postByWpId, snapshot } from './helpers.js'

test('a second run of the same import changes nothing and says so', async (t) => {
  const f = await importFixture(t)
  const uploads = await oldUploads(f.dir)
  const file = await f.write(sampleSpec())
  const first = await f.run(file, { uploadsFrom: uploads })
  assert.ok(!changedNothing(first))
  const before = await snapshot(f.app)

  const again = await f.run(file, { uploadsFrom: uploads })
  assert.deepEqual(await snapshot(f.app), before, 'not a row and not a file changed')
  assert.ok(changedNothing(again))
  assert.deepEqual(again.users, { created: 0, matched: 0, already: 2 })
  assert.equal(again.posts.already, 7)
  assert.equal(again.comments.already, 2)
  assert.deepEqual(again.problems, [])
  assert.ok(formatReport(again).includes('Everything in this export is already imported: nothing was changed.'))
})

test('a later export of the same blog brings only the new comments, threaded onto the old ones', async (t) => {
  const f = await importFixture(t)
  await f.run(await f.write(sampleSpec()))
  const later = sampleSpec()
  const items = [...later.items!] as ItemSpec[]
  const first = items.find((i) => i.id === IDS.published)!
  first.comments = [...first.comments!, { id: 50, author: 'Åse Ås', date: '2009-06-01T12:00:00Z', content: 'Og hva med kartdata?', parent: 2 }]
  const report = await f.run(await f.write({ ...later, items }, 'later.xml'))
  assert.equal(report.comments.imported, 1)
  assert.equal(report.comments.already, 2)
  assert.equal(report.posts.withNewComments, 1)
  const post = (await postByWpId(f.app, IDS.published))!
  assert.equal(post.comment_count, 3)
  const rows = await f.app.db.selectFrom('comments').selectAll().where('post_id', '=', post.id).orderBy('id').execute()
  assert.equal(rows[2]!.parent_id, rows[0]!.id, 'a reply to a reply hangs on the thread\'s first comment')
  assert.equal(rows[2]!.body_html, '<p>@Kari Nordmann: Og hva med kartdata?</p>')
})

test('a dry run writes nothing and reports what it would do, problems included', async (t) => {
  const f = await importFixture(t)
  const uploads = await oldUploads(f.dir)
  const before = await snapshot(f.app)
  const report = await f.run(await f.write(sampleSpec()), { dryRun: true, uploadsFrom: uploads })
  assert.deepEqual(await snapshot(f.app), before, 'no row and no file written')
  assert.equal(report.dryRun, true)
  assert.deepEqual(report.users, { created: 2, matched: 0, already: 0 })
  assert.deepEqual({ published: report.posts.published, drafts: report.posts.drafts }, { published: 3, drafts: 4 })
  assert.equal(report.comments.imported, 2)
  assert.equal(report.tags.created, 6)
  assert.equal(report.images.copied, 1)
  assert.equal(report.images.missing, 2)
  const codes = report.problems.map((p) => p.code)
  for (const code of ['unknown-shortcode', 'missing-image', 'external-image', 'unpublished']) assert.ok(codes.includes(code as never), code)
  const text = formatReport(report).join('\n')
  assert.match(text, /Dry run: nothing was written\./)
  assert.match(text, /users: {5}2 would be created/)
  assert.match(text, /\[unknown-shortcode\] \[contact-form-7 id="9" title="Kontakt"\]/)

  const real = await f.run(await f.write(sampleSpec()), { uploadsFrom: uploads })
  assert.deepEqual({ ...real, dryRun: true, seconds: 0 }, { ...report, seconds: 0 }, 'the dry run predicted the real run exactly')
})

test('the dry run goes the same way as the real run: its summary is the real run\'s, with existing users, shared e-mail addresses and logins, unusable images and taken slugs', async (t) => {
  const f = await importFixture(t)
  await makeUser(f.app, { username: 'knordmann', email: 'kari.nordmann@trondheim.kommune.no' })
  await makeUser(f.app, { username: 'lise', email: 'en.annen.lise@example.no' })
  const now = new Date().toISOString()
  await f.app.db.insertInto('posts').values({ author_id: f.admin.id, slug: 'tegning', title: 'Finnes', status: 'draft', created_at: now, updated_at: now }).execute()
  const uploads = await oldUploads(f.dir)
  await fs.mkdir(path.join(uploads, '2011/01'), { recursive: true })
  await fs.writeFile(path.join(uploads, '2011/01/tegning.gif'), 'GIF89a dette er ikke et bilde')
  const spec = sampleSpec()
  spec.authors = [...spec.authors!,
    // The same person twice (one e-mail address): the second is matched to the account the first gets.
    { id: 10, login: 'anne', email: 'anne@trondheim.kommune.no', displayName: 'Anne' },
    { id: 11, login: 'anne.gammel', email: 'Anne@Trondheim.kommune.no', displayName: 'Anne (gammel konto)' },
    // Two logins that make one username, no e-mail address: the second is matched by login to the first.
    { id: 12, login: 'per olsen', email: '', displayName: 'Per Olsen' },
    { id: 13, login: 'per-olsen', email: '', displayName: 'Per Olsen' },
    { id: 14, login: 'lise', email: 'lise@trondheim.kommune.no', displayName: 'Lise' },
  ]
  spec.items = [...spec.items!, ...['anne', 'anne.gammel', 'per olsen', 'per-olsen', 'lise'].map((creator, i): ItemSpec => ({
    id: 600 + i, title: 'Tegning', slug: 'tegning', date: `2011-01-0${i + 1}T12:00:00Z`, creator,
    content: '<img src="http://betatrondheim.no/wp-content/uploads/2011/01/tegning.gif" alt="Skisse" /> <img src="/wp-content/uploads/2009/05/bybrua.jpg" alt="Bro" />',
  }))]
  const file = await f.write(spec)
  const before = await snapshot(f.app)
  const dry = await f.run(file, { dryRun: true, uploadsFrom: uploads })
  assert.deepEqual(await snapshot(f.app), before, 'the dry run wrote nothing')
  const real = await f.run(file, { uploadsFrom: uploads })

  assert.deepEqual(real.users, { created: 4, matched: 3, already: 0 }, 'ola, anne, per olsen and lise (whose username is taken) created; kari, anne.gammel and per-olsen matched')
  assert.deepEqual(dry.users, real.users)
  assert.equal(real.images.unusable, 1)
  const summary = (r: typeof real) => formatReport({ ...r, seconds: 0 }).slice(2).join('\n')
    .replaceAll('would be ', '').replaceAll('imported as ', '').replace('Dry run: nothing was written.\n\n', '')
  assert.equal(summary(dry), summary(real))
  assert.deepEqual({ ...dry, dryRun: false, seconds: 0, problems: [] }, { ...real, seconds: 0, problems: [] })
  assert.equal(dry.problems.length, real.problems.length)
})

test('an invalid date is reported and another date used', async (t) => {
  const f = await importFixture(t)
  const spec = sampleSpec({ items: [{ id: 400, title: 'Uten dato', slug: 'uten-dato', date: '2010-01-01T00:00:00Z', gmtZero: true, content: 'Tekst.',
    comments: [{ id: 401, author: 'Leser', date: '2010-01-02T00:00:00Z', content: 'Hei' }] }] })
  // WordPress writes 0000-00-00 for a date it does not have; the local date is kept, so make both unusable.
  const file = await f.writeText(buildWxr(spec).replace(/<wp:post_date>[^\n]*<\/wp:post_date>/, '<wp:post_date><![CDATA[0000-00-00 00:00:00]]></wp:post_date>'))
  const report = await f.run(file)
  const post = (await postByWpId(f.app, 400))!
  assert.equal(post.status, 'published')
  assert.ok(post.published_at, 'a published post always has a publication time')
  assert.ok(report.problems.some((p) => p.code === 'invalid-date' && p.where.startsWith('post 400')))
})

test('a broken export is refused with a clear error and nothing is written', async (t) => {
  const f = await importFixture(t)
  const before = await snapshot(f.app)
  for (const [name, bad] of Object.entries(badInputs())) {
    const file = await f.writeText(bad.text, `${name}.xml`)
    await assert.rejects(f.run(file), (err: unknown) => {
      assert.ok(err instanceof WxrError, name)
      assert.equal(err.code, bad.code, name)
      if (name === 'truncated' || name === 'invalidXml') assert.match(err.message, /line \d+/, `${name} names the line`)
      return true
    })
    await assert.rejects(f.run(file, { dryRun: true }), WxrError)
  }
  await assert.rejects(f.run(`${f.dir}/finnes-ikke.xml`), (err: unknown) => err instanceof WxrError && err.code === 'io')
  assert.deepEqual(await snapshot(f.app), before)
})

test('a post that fails half-way leaves nothing of itself; the others are imported; a re-run finishes it', async (t) => {
  const f = await importFixture(t)
  // A database rule that rejects one comment: the failure comes after the post row, its tags and
  // its first comment were written inside the transaction.
  if (f.app.database.kind === 'postgres') {
    await sql`create function import_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'simulated failure'; end $$`.execute(f.app.db)
    await sql`create trigger import_test_fail before insert on comments for each row when (new.body_html like '%Takk, Per%')
      execute function import_test_fail()`.execute(f.app.db)
  } else {
    await sql`create trigger import_test_fail before insert on comments when new.body_html like '%Takk, Per%'
      begin select raise(abort, 'simulated failure'); end`.execute(f.app.db)
  }
  const file = await f.write(sampleSpec())
  const report = await f.run(file)
  assert.equal(report.posts.failed, 1)
  assert.ok(report.problems.some((p) => p.code === 'failed' && p.where.startsWith(`post ${IDS.published}`) && p.detail.includes('simulated failure')))
  assert.equal(await postByWpId(f.app, IDS.published), undefined)
  assert.equal(await countRows(f.app, 'comments'), 0)
  assert.equal((await f.app.db.selectFrom('posts').select('id').where('slug', '=', 'apne-data-i-trondheim').execute()).length, 0)
  const ikt = await f.app.db.selectFrom('tags').select(['post_count']).where('name', '=', 'ikt').executeTakeFirst()
  assert.equal(ikt, undefined, 'the tag the failed post created is gone too')
  assert.equal(report.posts.published, 2, 'the other posts are in')
  const audit = await f.app.db.selectFrom('audit_events').select('id').where('action', '=', 'post.import').execute()
  assert.equal(audit.length, 6)

  await sql.raw(`drop trigger import_test_fail${f.app.database.kind === 'postgres' ? ' on comments' : ''}`).execute(f.app.db)
  const rerun = await f.run(file)
  assert.equal(rerun.posts.published, 1)
  assert.equal(rerun.posts.already, 6)
  assert.equal((await postByWpId(f.app, IDS.published))!.comment_count, 2)
  assert.equal((await f.app.db.selectFrom('tags').select('post_count').where('name', '=', 'ikt').executeTakeFirstOrThrow()).post_count, 1)
  assert.deepEqual(await listFiles(f.app.config.uploadsDir), [])
})
