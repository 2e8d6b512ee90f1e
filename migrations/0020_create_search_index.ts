import { type Kysely, sql } from 'kysely'
import { isPostgres } from './dialect.js'
import * as postgres from './postgres/0020_search_index.js'

// SQLite-only (FTS5 and triggers). The full-text index of what readers can find: published posts,
// visible microblog updates and visible comments on published posts.
//
// One FTS5 table holds all three kinds. A document's rowid is its kind's block plus the row id:
// doc = kind * 10^12 + id (1 post, 2 micro, 3 comment), so a kind is a rowid range, which FTS5 seeks
// to directly, and within a kind a higher rowid is a newer item. Columns: title, lead, body, tags (the
// searchable plain text, prepared by src/search/text.ts) and facets (internal tokens such as "t12"
// for the tag filter; never matched by what people type).
//
// The text is made in JavaScript (plain text of the stored HTML), so the triggers below do not write
// the index themselves: every change to a source row queues its document in search_pending, in the
// same transaction as the change. The indexer (src/search/service.ts) re-reads queued rows, indexes
// the visible ones and removes the rest. Searches exclude queued documents, so a result is never
// older than its row: a hidden comment disappears from search in the same transaction that hides it.
//
// Tokenizer: unicode61 with remove_diacritics 2 folds é → e and ü → u as readers expect. Of the
// Norwegian letters it would fold only å (into a); the indexer writes å as "a" + U+E000 so that
// "åpen" and "apen" stay different words (æ and ø are not folded by unicode61).
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return postgres.up(db) // tsvector and GIN instead of FTS5; SQLite below, unchanged
  await sql`create virtual table search_index using fts5(
    title, lead, body, tags, facets,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3'
  )`.execute(db)

  await sql`create table search_pending (doc integer primary key)`.execute(db)

  const triggers = [
    // Posts: only changes that touch what is indexed, and only around published posts.
    `create trigger search_posts_ai after insert on posts when new.status = 'published'
     begin insert or ignore into search_pending(doc) values (1000000000000 + new.id); end`,
    `create trigger search_posts_au after update of title, lead, summary, body_html, status on posts
     when new.status = 'published' or old.status = 'published'
     begin insert or ignore into search_pending(doc) values (1000000000000 + new.id); end`,
    // A comment is visible only while its post is published.
    `create trigger search_posts_status_au after update of status on posts
     when old.status is not new.status and (new.status = 'published' or old.status = 'published')
     begin insert or ignore into search_pending(doc) select 3000000000000 + id from comments where post_id = new.id; end`,
    `create trigger search_posts_ad after delete on posts
     begin insert or ignore into search_pending(doc) values (1000000000000 + old.id); end`,
    // A post's tags are indexed with the post and, as facets, with its comments.
    `create trigger search_post_tags_ai after insert on post_tags
     begin
       insert or ignore into search_pending(doc) values (1000000000000 + new.post_id);
       insert or ignore into search_pending(doc) select 3000000000000 + id from comments where post_id = new.post_id;
     end`,
    `create trigger search_post_tags_ad after delete on post_tags
     begin
       insert or ignore into search_pending(doc) values (1000000000000 + old.post_id);
       insert or ignore into search_pending(doc) select 3000000000000 + id from comments where post_id = old.post_id;
     end`,
    `create trigger search_tags_au after update of name on tags
     begin
       insert or ignore into search_pending(doc) select 1000000000000 + post_id from post_tags where tag_id = new.id;
       insert or ignore into search_pending(doc) select 2000000000000 + micro_id from micro_tags where tag_id = new.id;
     end`,
    // Microblog updates.
    `create trigger search_micro_ai after insert on micro_posts
     begin insert or ignore into search_pending(doc) values (2000000000000 + new.id); end`,
    `create trigger search_micro_au after update of body, body_html, deleted_at, hidden_at on micro_posts
     begin insert or ignore into search_pending(doc) values (2000000000000 + new.id); end`,
    `create trigger search_micro_ad after delete on micro_posts
     begin insert or ignore into search_pending(doc) values (2000000000000 + old.id); end`,
    `create trigger search_micro_tags_ai after insert on micro_tags
     begin insert or ignore into search_pending(doc) values (2000000000000 + new.micro_id); end`,
    `create trigger search_micro_tags_ad after delete on micro_tags
     begin insert or ignore into search_pending(doc) values (2000000000000 + old.micro_id); end`,
    // Comments.
    `create trigger search_comments_ai after insert on comments
     begin insert or ignore into search_pending(doc) values (3000000000000 + new.id); end`,
    `create trigger search_comments_au after update of body_html, deleted_at, hidden_at, post_id on comments
     begin insert or ignore into search_pending(doc) values (3000000000000 + new.id); end`,
    `create trigger search_comments_ad after delete on comments
     begin insert or ignore into search_pending(doc) values (3000000000000 + old.id); end`,
  ]
  for (const trigger of triggers) await sql.raw(trigger).execute(db)

  // Content that existed before this migration is queued; the server indexes it in the background.
  await sql`insert or ignore into search_pending(doc)
    select 1000000000000 + id from posts where status = 'published'
    union all select 2000000000000 + id from micro_posts where deleted_at is null and hidden_at is null
    union all select 3000000000000 + id from comments where deleted_at is null and hidden_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return postgres.down(db)
  for (const name of [
    'search_posts_ai', 'search_posts_au', 'search_posts_status_au', 'search_posts_ad', 'search_post_tags_ai',
    'search_post_tags_ad', 'search_tags_au', 'search_micro_ai', 'search_micro_au', 'search_micro_ad',
    'search_micro_tags_ai', 'search_micro_tags_ad', 'search_comments_ai', 'search_comments_au', 'search_comments_ad',
  ]) {
    await sql.raw(`drop trigger if exists ${name}`).execute(db)
  }
  await sql`drop table if exists search_pending`.execute(db)
  await sql`drop table if exists search_index`.execute(db)
}
