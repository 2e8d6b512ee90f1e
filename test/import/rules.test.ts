// The importer's pure decisions: what becomes of an item, usernames, tags, comment threading.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { classifyItem } from '../../src/import/classify.js'
import { planComments, withReplyContext } from '../../src/import/comments.js'
import { tagFromTerm, isDefaultCategory } from '../../src/import/tags.js'
import { displayNameOf, nicenameOf, normaliseEmail, usernameCandidates, usernameFromLogin } from '../../src/import/users.js'
import { convertCommentBody, leadFromExcerpt } from '../../src/import/content.js'
import { USERNAME_PATTERN } from '../../src/users/user.js'
import type { WxrComment } from '../../src/wordpress/wxr-types.js'

const opts = { skipPages: false }
const item = (postType: string, status: string, password = '') => ({ postType, status, password })

test('published posts and pages are published; everything unpublished becomes a draft with its reason', () => {
  assert.deepEqual(classifyItem(item('post', 'publish'), opts), { action: 'import', status: 'published', isPage: false })
  assert.deepEqual(classifyItem(item('page', 'publish'), opts), { action: 'import', status: 'published', isPage: true })
  for (const [status, reason] of [['draft', 'draft'], ['pending', 'pending'], ['private', 'private'], ['future', 'scheduled'], ['odd', 'unknown-status']]) {
    assert.deepEqual(classifyItem(item('post', status!), opts), { action: 'import', status: 'draft', isPage: false, reason })
  }
  assert.deepEqual(classifyItem(item('post', 'publish', 'hemmelig'), opts), { action: 'import', status: 'draft', isPage: false, reason: 'password' })
})

test('attachments, revisions, menus, trash and other post types are skipped with a reason', () => {
  assert.deepEqual(classifyItem(item('attachment', 'inherit'), opts), { action: 'skip', reason: 'attachment' })
  assert.deepEqual(classifyItem(item('revision', 'inherit'), opts), { action: 'skip', reason: 'revision' })
  assert.deepEqual(classifyItem(item('nav_menu_item', 'publish'), opts), { action: 'skip', reason: 'nav-menu' })
  assert.deepEqual(classifyItem(item('product', 'publish'), opts), { action: 'skip', reason: 'other-type' })
  assert.deepEqual(classifyItem(item('post', 'trash'), opts), { action: 'skip', reason: 'trash' })
  assert.deepEqual(classifyItem(item('post', 'auto-draft'), opts), { action: 'skip', reason: 'auto-draft' })
  assert.deepEqual(classifyItem(item('page', 'publish'), { skipPages: true }), { action: 'skip', reason: 'page' })
})

test('WordPress logins become valid, unique usernames with Norwegian letters transliterated', () => {
  const cases: [string, string][] = [
    ['kari', 'kari'], ['Ola.Ødegård', 'ola.odegard'], ['Åse_Ærø', 'ase_aero'], ['per hansen', 'per-hansen'],
    ['kari@trondheim.kommune.no', 'kari-trondheim.kommune.no'], ['..x', 'x-wp'], ['', 'forfatter'], ['@@@', 'forfatter'],
    ['a'.repeat(40), 'a'.repeat(32)], ['_admin_', 'admin'],
  ]
  for (const [login, expected] of cases) {
    const name = usernameFromLogin(login)
    assert.equal(name, expected, login)
    assert.match(name, USERNAME_PATTERN)
  }
  const candidates = usernameCandidates('b'.repeat(32))
  assert.equal(candidates.next().value, 'b'.repeat(32))
  assert.equal(candidates.next().value, `${'b'.repeat(30)}-2`)
})

test('display names, e-mail addresses and author nicenames', () => {
  assert.equal(displayNameOf({ displayName: ' ', firstName: 'Kari', lastName: 'Nordmann', login: 'kari' }), 'Kari Nordmann')
  assert.equal(displayNameOf({ displayName: '', firstName: '', lastName: '', login: 'kari' }), 'kari')
  assert.equal(normaliseEmail(' Kari@Trondheim.Kommune.NO '), 'kari@trondheim.kommune.no')
  assert.equal(normaliseEmail('ikke en adresse'), undefined)
  assert.equal(nicenameOf('Ola.Odegard'), 'ola-odegard')
})

test('categories and tags become our tags, Norwegian letters kept; the default category is dropped', () => {
  assert.equal(tagFromTerm({ name: 'IKT', slug: 'ikt' }), 'ikt')
  assert.equal(tagFromTerm({ name: 'Åpne data', slug: 'apne-data' }), 'åpne-data')
  assert.equal(tagFromTerm({ name: 'IKT & samfunn', slug: 'ikt-samfunn' }), 'ikt-samfunn')
  assert.equal(tagFromTerm({ name: '!!!', slug: 'bl%c3%a5b%c3%a6r' }), 'blåbær')
  const long = tagFromTerm({ name: 'Helse, velferd og omsorg i Trondheim kommune og omegn', slug: 'x'.repeat(50) })
  assert.equal(long, 'helse-velferd-og-omsorg-i-trondheim')
  assert.equal(tagFromTerm({ name: '???', slug: '???' }), undefined)
  assert.ok(isDefaultCategory({ taxonomy: 'category', slug: 'uncategorized' }))
  assert.ok(!isDefaultCategory({ taxonomy: 'post_tag', slug: 'uncategorized' }))
})

function comment(id: number, parentId: number, extra: Partial<WxrComment> = {}): WxrComment {
  return {
    id, parentId, author: `Person ${id}`, authorEmail: '', authorUrl: '', authorIp: '', dateGmt: undefined,
    date: `2009-05-21T10:${String(id).padStart(2, '0')}:00.000Z`, content: `Svar ${id}`, approved: '1', type: '', userId: 0, meta: [],
    ...extra,
  }
}

test('deep replies hang on the thread\'s first comment and say whom they answered', () => {
  const plan = planComments([comment(1, 0), comment(2, 1), comment(3, 2), comment(4, 3), comment(5, 0)])
  const byId = new Map(plan.comments.map((c) => [c.wpId, c]))
  assert.deepEqual(plan.comments.map((c) => c.wpId), [1, 5, 2, 3, 4], 'top-level first, then replies, each by date')
  assert.equal(byId.get(2)!.topWpId, 1)
  assert.equal(byId.get(2)!.replyTo, undefined, 'a direct reply needs no @name')
  assert.equal(byId.get(3)!.topWpId, 1)
  assert.equal(byId.get(3)!.replyTo, 'Person 2')
  assert.equal(byId.get(4)!.topWpId, 1)
  assert.equal(byId.get(4)!.replyTo, 'Person 3')
})

test('spam, trash, pending and pingbacks are left out; their replies move up to what remains', () => {
  const plan = planComments([
    comment(1, 0), comment(2, 1, { approved: 'spam' }), comment(3, 2), comment(4, 0, { approved: 'trash' }), comment(5, 4),
    comment(6, 0, { approved: '0' }), comment(7, 0, { type: 'pingback' }), comment(8, 99),
  ])
  assert.deepEqual(plan.skipped, { spam: 1, trash: 1, pending: 1, pingback: 1, trackback: 0 })
  const byId = new Map(plan.comments.map((c) => [c.wpId, c]))
  assert.deepEqual([...byId.keys()].sort(), [1, 3, 5, 8])
  assert.equal(byId.get(3)!.topWpId, 1, 'its spam parent is skipped: it answers the comment above that')
  assert.equal(byId.get(5)!.topWpId, undefined, 'its only ancestor was trashed: top-level')
  assert.equal(byId.get(8)!.topWpId, undefined, 'a parent missing from the export: top-level')
})

test('a loop in the parent chain does not hang the import', () => {
  const plan = planComments([comment(1, 2), comment(2, 1)])
  assert.equal(plan.comments.length, 2)
})

test('comment bodies: @name context, Norwegian text kept, hostile HTML neutralised', () => {
  assert.equal(withReplyContext('<p>Enig.</p>', 'Åse <Ås>'), '<p>@Åse &lt;Ås&gt;: Enig.</p>')
  const html = convertCommentBody('Blåbær & rødgrøt <script>alert(1)</script><a href="javascript:alert(2)">klikk</a> <img src=x onerror=alert(3)>', 'Per')
  assert.match(html, /^<p>@Per: Blåbær &amp; rødgrøt/)
  assert.doesNotMatch(html, /script|javascript|onerror|<img/i)
})

test('an excerpt becomes a plain-text lead', () => {
  assert.equal(leadFromExcerpt('<p>Et <strong>kort</strong> utdrag om Øya &amp; Ila.</p>'), 'Et kort utdrag om Øya & Ila.')
  assert.equal(leadFromExcerpt('  '), '')
})
