import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { parseWxr, validateWxr } from '../../src/wordpress/parse-wxr.js'
import type { WxrEvent, WxrItem } from '../../src/wordpress/wxr-types.js'
import { buildWxr, HOSTILE_CONTENT, IDS, PUBLISHED_CONTENT, sampleSpec, SITE } from './fixtures.js'

async function collect(xml: string | Buffer): Promise<WxrEvent[]> {
  const events: WxrEvent[] = []
  for await (const e of parseWxr(Readable.from([xml]))) events.push(e)
  return events
}

const itemsOf = (events: WxrEvent[]) => new Map(events.flatMap((e) => (e.kind === 'item' ? [[e.item.postId, e.item] as const] : [])))
const itemOf = (events: WxrEvent[], id: number): WxrItem => {
  const item = itemsOf(events).get(id)
  assert.ok(item, `item ${id} present`)
  return item
}

test('yields the channel first, then authors and terms with decoded slugs', async () => {
  const events = await collect(buildWxr(sampleSpec()))
  assert.equal(events[0]?.kind, 'channel')
  assert.deepEqual(events[0]?.kind === 'channel' && events[0].channel, {
    title: 'BetaTrondheim', link: SITE, description: 'Blogg om IKT og utvikling i Trondheim kommune', language: 'nb-NO',
    wxrVersion: '1.2', baseSiteUrl: SITE, baseBlogUrl: SITE,
  })
  const authors = events.flatMap((e) => (e.kind === 'author' ? [e.author] : []))
  assert.deepEqual(authors[1], { id: 2, login: 'ola.odegard', email: 'ola@trondheim.kommune.no', displayName: 'Ola Ødegård', firstName: 'Ola', lastName: 'Ødegård' })
  const terms = events.flatMap((e) => (e.kind === 'term' ? [e.term] : []))
  assert.deepEqual(terms.map((t) => `${t.taxonomy}:${t.slug}:${t.name}:${t.parent}`), [
    'category:ikt:IKT:', 'category:byutvikling:Byutvikling:', 'category:smart-by:Smart by:byutvikling',
    'category:bærekraft:Bærekraft:', 'post_tag:apne-data:Åpne data:', 'post_tag:blåbær:Blåbær:',
  ])
  assert.equal(terms[3]?.description, 'Grønn omstilling & klima')
})

test('reads a published post with its terms, meta and exact content', async () => {
  const post = itemOf(await collect(buildWxr(sampleSpec())), IDS.published)
  assert.equal(post.postType, 'post')
  assert.equal(post.status, 'publish')
  assert.equal(post.title, 'Åpne data i Trondheim & omegn')
  assert.equal(post.slug, 'åpne-data-i-trondheim')
  assert.equal(post.link, `${SITE}/2009/05/%c3%a5pne-data-i-trondheim/`)
  assert.equal(post.guid, `${SITE}/?p=101`)
  assert.equal(post.creator, 'kari')
  assert.equal(post.content, PUBLISHED_CONTENT)
  assert.equal(post.postDateGmt, '2009-05-21T08:30:00.000Z')
  assert.equal(post.postDate, '2009-05-21 10:30:00')
  assert.equal(post.date, '2009-05-21T08:30:00.000Z')
  assert.equal(post.pubDate, 'Thu, 21 May 2009 08:30:00 +0000')
  assert.equal(post.isSticky, true)
  assert.deepEqual(post.terms, [
    { domain: 'category', slug: 'ikt', name: 'IKT' }, { domain: 'category', slug: 'smart-by', name: 'Smart by' },
    { domain: 'post_tag', slug: 'apne-data', name: 'Åpne data' }, { domain: 'post_tag', slug: 'blåbær', name: 'Blåbær' },
  ])
  assert.deepEqual(post.meta, [{ key: '_thumbnail_id', value: String(IDS.attachment) }, { key: '_edit_last', value: '1' }])
})

test('reads nested comments with every approval state', async () => {
  const { comments } = itemOf(await collect(buildWxr(sampleSpec())), IDS.published)
  assert.deepEqual(comments.map((c) => [c.id, c.parentId, c.approved, c.type]), [
    [1, 0, '1', ''], [2, 1, '1', ''], [3, 0, 'spam', ''], [4, 2, 'trash', ''], [5, 0, '0', ''], [6, 0, '1', 'pingback'],
  ])
  const reply = comments[1]!
  assert.equal(reply.author, 'Kari Nordmann')
  assert.equal(reply.authorEmail, 'kari.nordmann@trondheim.kommune.no')
  assert.equal(reply.userId, 1)
  assert.equal(reply.content, 'Takk, Per! Flere kommer til høsten.')
  assert.equal(reply.dateGmt, '2009-05-21T10:15:00.000Z')
  assert.equal(comments[0]!.authorUrl, 'http://per.example.no')
  assert.deepEqual(comments[2]!.meta, [{ key: 'akismet_result', value: 'true' }])
})

test('a draft with a 0000-00-00 date gets no GMT date but a best-effort date from local time', async () => {
  const draft = itemOf(await collect(buildWxr(sampleSpec())), IDS.draft)
  assert.equal(draft.status, 'draft')
  assert.equal(draft.postDateGmt, undefined)
  assert.equal(draft.modifiedGmt, undefined)
  assert.equal(draft.postDate, '2010-01-10 13:00:00')
  assert.equal(draft.date, '2010-01-10T12:00:00.000Z') // Oslo is UTC+1 in January
  assert.equal(draft.pubDate, 'Mon, 30 Nov -0001 00:00:00 +0000')
  assert.equal(draft.slug, '')
  assert.deepEqual(draft.terms, [{ domain: 'category', slug: 'bærekraft', name: 'Bærekraft' }])
})

test('reads pages, attachments, private, future and pending items', async () => {
  const items = itemsOf(await collect(buildWxr(sampleSpec())))
  assert.deepEqual([...items.values()].map((i) => `${i.postType}/${i.status}`), [
    'post/publish', 'post/draft', 'post/private', 'page/publish', 'attachment/inherit', 'post/publish', 'post/future', 'post/pending',
  ])
  const page = items.get(IDS.page)!
  assert.equal(page.menuOrder, 2)
  const attachment = items.get(IDS.attachment)!
  assert.equal(attachment.parentId, IDS.published)
  assert.equal(attachment.attachmentUrl, `${SITE}/wp-content/uploads/2009/05/bybrua.jpg`)
  assert.deepEqual(attachment.meta, [{ key: '_wp_attached_file', value: '2009/05/bybrua.jpg' }])
  assert.equal(items.get(IDS.private)!.excerpt, 'Et eget utdrag.')
  assert.equal(items.get(IDS.published)!.attachmentUrl, undefined)
})

test('hostile content and a ]]> inside CDATA come through unchanged', async () => {
  const hostile = itemOf(await collect(buildWxr(sampleSpec())), IDS.hostile)
  assert.equal(hostile.content, HOSTILE_CONTENT)
  assert.ok(hostile.content.includes(']]> og videre'))
  assert.equal(hostile.title, '<b>Fet</b> tittel & "sitater"')
})

test('matches elements by namespace URI, not by prefix', async () => {
  const usual = await collect(buildWxr(sampleSpec()))
  const odd = await collect(buildWxr(sampleSpec({ prefixes: { wp: 'wordpress', content: 'c', excerpt: 'utdrag', dc: 'dublin' } })))
  assert.equal(odd.length, usual.length)
  assert.deepEqual(odd, usual)
})

test('accepts WXR 1.0 and 1.1', async () => {
  for (const version of ['1.0', '1.1']) {
    const events = await collect(buildWxr(sampleSpec({ version })))
    assert.equal(events[0]?.kind === 'channel' && events[0].channel.wxrVersion, version)
    assert.equal(itemOf(events, IDS.published).title, 'Åpne data i Trondheim & omegn')
  }
})

test('WXR 1.0 duplicate categories without nicename collapse into one term', async () => {
  const xml = buildWxr(sampleSpec({ version: '1.0' })).replace(
    '<category domain="category" nicename="ikt">',
    '<category><![CDATA[IKT]]></category><category domain="tag"><![CDATA[Åpne data]]></category><category domain="category" nicename="ikt">')
  const post = itemOf(await collect(xml), IDS.published)
  assert.deepEqual(post.terms.filter((t) => t.slug === 'ikt' || t.name === 'Åpne data'), [
    { domain: 'post_tag', slug: 'apne-data', name: 'Åpne data' }, { domain: 'category', slug: 'ikt', name: 'IKT' },
  ])
})

test('reads from a file path, and validateWxr counts the whole export', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wxr-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'betatrondheim.xml')
  await writeFile(path, buildWxr(sampleSpec()))
  const summary = await validateWxr(path)
  assert.equal(summary.channel.title, 'BetaTrondheim')
  assert.deepEqual(summary.items, { post: 6, page: 1, attachment: 1 })
  assert.equal(summary.authors, 2)
  assert.equal(summary.terms, 6)
  assert.equal(summary.comments, 6)
})

test('multi-byte characters split across chunks survive', async () => {
  const bytes = Buffer.from(buildWxr(sampleSpec()))
  const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7))
  const events: WxrEvent[] = []
  for await (const e of parseWxr(Readable.from(chunks))) events.push(e)
  assert.deepEqual(events, await collect(bytes))
  assert.equal(itemOf(events, IDS.published).comments[4]!.author, 'Åse Ås')
})

test('control characters WordPress lets into content are dropped instead of failing the import', async () => {
  const xml = buildWxr(sampleSpec()).replace('Kommer snart.', 'Kommer\u000b snart.\u0008')
  assert.equal(itemOf(await collect(xml), IDS.future).content, 'Kommer snart.')
})

test('yields items while the input is still being read', async () => {
  const xml = buildWxr(sampleSpec())
  const pieces = xml.match(/[\s\S]{1,200}/g)!
  let pulled = 0
  async function* slowly() {
    for (const p of pieces) { pulled++; yield p }
  }
  for await (const e of parseWxr(slowly())) {
    if (e.kind === 'item') break
  }
  const firstItemEnds = Math.ceil((xml.indexOf('</item>') + '</item>'.length) / 200)
  assert.ok(pulled <= firstItemEnds + 1, `read ${pulled} chunks; the first item ends in chunk ${firstItemEnds}`)
  assert.ok(pulled < pieces.length)
})
