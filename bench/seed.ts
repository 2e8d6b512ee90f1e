// Seeds a benchmark database of realistic size, fast: better-sqlite3 prepared statements in large
// transactions, triggers off during the load (their work — the search index, the counts — is done
// here directly), one password hash for every account.
import SQLite from 'better-sqlite3'
import { openDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { hashPassword } from '../src/auth/password.js'
import { slugify } from '../src/posts/slug.js'
import { toIndexText } from '../src/search/text.js'
import { docOf } from '../src/search/queries.js'
import { TextMaker } from './vocabulary.js'

export interface SeedOptions {
  file: string
  /** Progress lines. */
  log?: (message: string) => void
  users: number
  posts: number
  comments: number
  micro: number
  tags: number
  /** Comments on the post the benchmark opens. */
  commentsOnTarget: number
}

export interface SeedResult {
  username: string
  password: string
  targetSlug: string
  popularTag: string
  seconds: number
  counts: Record<string, number>
}

export const BENCH_PASSWORD = 'benchmark password 2025'
/** The text generator's seed: the same vocabulary every run (bench/run.ts searches it). */
export const TEXT_SEED = 2025

const FIRST = ['Kari', 'Ola', 'Ingrid', 'Per', 'Anne', 'Lars', 'Marit', 'Jon', 'Siri', 'Knut', 'Åse', 'Øystein', 'Æsa', 'Bjørn', 'Solveig', 'Håkon', 'Tone', 'Erlend', 'Ragnhild', 'Sindre']
const LAST = ['Nordmann', 'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen', 'Haugen', 'Bakken', 'Solberg', 'Strand', 'Dahl', 'Lie', 'Berg', 'Moen', 'Aune', 'Holm']

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export async function seed(o: SeedOptions): Promise<SeedResult> {
  const started = Date.now()
  let last = started
  const phase = (name: string) => {
    const now = Date.now()
    o.log?.(`  ${name}: ${((now - last) / 1000).toFixed(1)} s`)
    last = now
  }
  // The schema comes from the real migrations.
  const database = openDatabase(o.file)
  await migrateToLatest(database.db)
  await database.close()
  const passwordHash = await hashPassword(BENCH_PASSWORD)
  phase('schema and password hash')

  const db = new SQLite(o.file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = OFF')
  db.pragma('foreign_keys = OFF')
  db.pragma('cache_size = -262144')
  db.pragma('temp_store = MEMORY')
  const triggers = db.prepare("select name, sql from sqlite_master where type = 'trigger'").all() as { name: string; sql: string }[]
  for (const t of triggers) db.exec(`drop trigger ${t.name}`)

  const text = new TextMaker(TEXT_SEED)
  const now = Date.UTC(2026, 0, 1)
  const iso = (ms: number) => new Date(ms).toISOString()
  const tx = (fn: () => void) => db.transaction(fn)()

  // Tags: distinct vocabulary words (Norwegian letters included); drawn with a skew, like real tags.
  const tagNames = text.vocabulary.filter((w) => w.length >= 4).slice(0, o.tags)
  const tagPosts = new Int32Array(tagNames.length + 1)
  const tagMicro = new Int32Array(tagNames.length + 1)
  const skewedTag = () => 1 + text.rank(tagNames.length, 3)

  // Users
  const insUser = db.prepare(`insert into users (id, username, email, display_name, password_hash, is_editor, is_admin, is_active, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`)
  tx(() => {
    for (let id = 1; id <= o.users; id++) {
      const username = id === 1 ? 'bench' : `u${String(id).padStart(4, '0')}`
      const name = `${FIRST[id % FIRST.length]} ${LAST[Math.floor(id / FIRST.length) % LAST.length]}`
      insUser.run(id, username, `${username}@bench.invalid`, name, passwordHash, id <= 10 ? 1 : 0, id === 1 ? 1 : 0, iso(now - 4e11), iso(now - 4e11))
    }
    db.prepare(`insert or replace into settings (key, value, updated_at, updated_by) values ('visibility', 'public', ?, null)`).run(iso(now))
  })

  phase('users')

  // Which post each comment belongs to: the newest post gets exactly commentsOnTarget.
  const commentPost = new Int32Array(o.comments)
  const commentCount = new Int32Array(o.posts + 1)
  for (let i = 0; i < o.comments; i++) {
    const post = i < o.commentsOnTarget ? o.posts : 1 + text.int(o.posts - 1)
    commentPost[i] = post
    commentCount[post]!++
  }

  // Posts, their tags and their search documents.
  const postTags: number[][] = new Array(o.posts + 1)
  const postPublished = new Float64Array(o.posts + 1)
  const span = 10 * 365 * 86_400_000
  const insPost = db.prepare(`insert into posts (id, author_id, slug, title, lead, summary, body_md, body_html, status, published_at,
    comment_count, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'published', ?, ?, ?, ?)`)
  const insPostTag = db.prepare('insert into post_tags (post_id, tag_id, published_at) values (?, ?, ?)')
  // Each kind has its own index (migrations/0243).
  const insertInto = (kind: 'post' | 'micro' | 'comment') => db.prepare(`insert into search_index_${kind} (rowid, title, lead, body, tags, facets) values (?, ?, ?, ?, ?, ?)`)
  const insDoc = { post: insertInto('post'), micro: insertInto('micro'), comment: insertInto('comment') }
  let targetSlug = ''
  const BATCH = 20_000
  for (let from = 1; from <= o.posts; from += BATCH) {
    tx(() => {
      for (let id = from; id < Math.min(from + BATCH, o.posts + 1); id++) {
        const published = now - span + Math.floor((id / o.posts) * span)
        postPublished[id] = published
        const title = text.sentence(4 + text.int(5)).slice(0, -1)
        const slug = `${slugify(title)}-${id}`
        if (id === o.posts) targetSlug = slug
        const paragraphs = [text.sentence(20 + text.int(30)), text.sentence(30 + text.int(40)), text.sentence(20 + text.int(40))]
        const heading = id % 3 === 0 ? text.sentence(3).slice(0, -1) : ''
        const lead = id % 3 === 1 ? text.sentence(15 + text.int(10)) : ''
        const summary = lead || (paragraphs[0]!.length > 280 ? `${paragraphs[0]!.slice(0, 279).replace(/\s\S*$/, '')}…` : paragraphs[0]!)
        const html = (heading ? `<h2 id="${slugify(heading)}">${esc(heading)}</h2>\n` : '') + paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')
        const md = (heading ? `## ${heading}\n\n` : '') + paragraphs.join('\n\n')
        const at = iso(published)
        insPost.run(id, 1 + text.int(o.users), slug, title, lead, summary, md, html, at, commentCount[id], at, at)
        const tags = [...new Set(Array.from({ length: 1 + text.int(4) }, skewedTag))]
        postTags[id] = tags
        for (const t of tags) {
          insPostTag.run(id, t, at)
          tagPosts[t]!++
        }
        insDoc.post.run(docOf('post', id), toIndexText(title), toIndexText(lead), toIndexText(`${heading} ${paragraphs.join(' ')}`),
          toIndexText(tags.map((t) => tagNames[t - 1]).join(' ')), tags.map((t) => `t${t}`).join(' '))
      }
    })
  }

  phase(`${o.posts} posts`)

  // Comments: a few hidden or deleted (never on the benchmark's post), as on a real site.
  const insComment = db.prepare(`insert into comments (id, post_id, author_id, body_md, body_html, created_at, deleted_at, hidden_at)
    values (?, ?, ?, ?, ?, ?, ?, ?)`)
  for (let from = 0; from < o.comments; from += BATCH * 2) {
    tx(() => {
      for (let i = from; i < Math.min(from + BATCH * 2, o.comments); i++) {
        const id = i + 1
        const post = commentPost[i]!
        const body = text.sentence(8 + text.int(30))
        const at = iso(postPublished[post]! + (1 + text.int(10_000)) * 60_000)
        const gone = post !== o.posts && i % 97 === 0
        insComment.run(id, post, 1 + text.int(o.users), body, `<p>${esc(body)}</p>`, at, gone && i % 2 ? at : null, gone && !(i % 2) ? at : null)
        if (!gone) insDoc.comment.run(docOf('comment', id), '', '', toIndexText(body), '', postTags[post]!.map((t) => `t${t}`).join(' '))
      }
    })
  }
  // Hidden or deleted comments do not count.
  db.exec(`update posts set comment_count = (select count(*) from comments c where c.post_id = posts.id and c.deleted_at is null and c.hidden_at is null)
    where id in (select distinct post_id from comments where deleted_at is not null or hidden_at is not null)`)

  phase(`${o.comments} comments`)

  // Microblog: a tenth are replies, some carry a tag, a few are hidden.
  const insMicro = db.prepare(`insert into micro_posts (id, author_id, body, body_html, reply_to_id, root_id, reply_count, created_at, hidden_at)
    values (?, ?, ?, ?, ?, ?, 0, ?, ?)`)
  const insMicroTag = db.prepare('insert into micro_tags (micro_id, tag_id, created_at) values (?, ?, ?)')
  const root = new Int32Array(o.micro + 1)
  const microSpan = 2 * 365 * 86_400_000
  for (let from = 1; from <= o.micro; from += BATCH * 2) {
    tx(() => {
      for (let id = from; id < Math.min(from + BATCH * 2, o.micro + 1); id++) {
        const at = iso(now - microSpan + Math.floor((id / o.micro) * microSpan))
        const replyTo = id > 10 && id % 10 === 0 ? 1 + text.int(id - 1) : null
        root[id] = replyTo ? root[replyTo] || replyTo : 0
        const tag = id % 7 === 0 ? skewedTag() : 0
        const words = text.sentence(6 + text.int(25))
        const body = tag ? `${words} #${tagNames[tag - 1]}` : words
        const html = `<p>${esc(words)}${tag ? ` <a href="/tags/${encodeURIComponent(tagNames[tag - 1]!)}">#${esc(tagNames[tag - 1]!)}</a>` : ''}</p>`
        const hidden = id % 211 === 0 ? at : null
        insMicro.run(id, 1 + text.int(o.users), body, html, replyTo, replyTo ? root[id] : null, at, hidden)
        if (tag) {
          insMicroTag.run(id, tag, at)
          tagMicro[tag]!++
        }
        if (!hidden) insDoc.micro.run(docOf('micro', id), '', '', toIndexText(body), tag ? toIndexText(tagNames[tag - 1]!) : '', tag ? `t${tag}` : '')
      }
    })
  }
  db.exec(`update micro_posts set reply_count = (select count(*) from micro_posts r where r.reply_to_id = micro_posts.id)
    where id in (select reply_to_id from micro_posts where reply_to_id is not null)`)

  phase(`${o.micro} microblog updates`)

  const insTag = db.prepare('insert into tags (id, name, post_count, micro_count) values (?, ?, ?, ?)')
  tx(() => tagNames.forEach((name, i) => insTag.run(i + 1, name, tagPosts[i + 1], tagMicro[i + 1])))

  // Back to normal: the triggers, an empty index queue, a merged index and fresh statistics.
  for (const t of triggers) db.exec(t.sql)
  db.exec('delete from search_pending')
  phase('tags and triggers')
  for (const kind of ['post', 'micro', 'comment']) db.exec(`insert into search_index_${kind}(search_index_${kind}) values ('optimize')`)
  phase('search index optimize')
  db.exec('analyze')
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  phase('analyze and checkpoint')

  let popular = 1
  for (let t = 1; t < tagPosts.length; t++) if (tagPosts[t]! > tagPosts[popular]!) popular = t
  return {
    username: 'bench', password: BENCH_PASSWORD, targetSlug, popularTag: tagNames[popular - 1]!, seconds: (Date.now() - started) / 1000,
    counts: { users: o.users, posts: o.posts, comments: o.comments, micro: o.micro, tags: tagNames.length },
  }
}
