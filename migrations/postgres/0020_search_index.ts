import { type Kysely, sql } from 'kysely'

// PostgreSQL's variant of 0020_create_search_index: the same queue (search_pending, filled by
// triggers in the transaction of the change) and the same documents (doc = kind * 10^12 + id), but
// the index is a table with a tsvector column and a GIN index instead of an FTS5 table.
//
// The words in `tsv` are folded in JavaScript by the same rules as the SQLite side (src/search/text.ts:
// lower case, accents off, å/æ/ø kept), so the text search configuration betablogg_nb only splits
// and never stems: a query finds on PostgreSQL exactly what it finds on SQLite.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create text search configuration betablogg_nb (copy = simple)`.execute(db)
  await sql`create table search_index (
    doc bigint primary key,
    title text not null, lead text not null, body text not null, tags text not null, facets text not null,
    tsv tsvector not null
  )`.execute(db)
  await sql`create index search_index_tsv_idx on search_index using gin (tsv)`.execute(db)
  await sql`create table search_pending (doc bigint primary key)`.execute(db)

  // Queues kind block (argument 1) + the row's column (argument 2); the row is NEW, or OLD on delete.
  await sql`create function search_queue_doc() returns trigger language plpgsql as $$
    begin
      insert into search_pending(doc)
        values (tg_argv[0]::bigint + (to_jsonb(case when tg_op = 'DELETE' then old else new end) ->> tg_argv[1])::bigint)
        on conflict do nothing;
      return null;
    end $$`.execute(db)
  // Queues the comments of the post named by the row's column (argument 1).
  await sql`create function search_queue_comments_of_post() returns trigger language plpgsql as $$
    begin
      insert into search_pending(doc)
        select 3000000000000 + id from comments
        where post_id = (to_jsonb(case when tg_op = 'DELETE' then old else new end) ->> tg_argv[0])::bigint
        on conflict do nothing;
      return null;
    end $$`.execute(db)
  await sql`create function search_queue_tagged() returns trigger language plpgsql as $$
    begin
      insert into search_pending(doc) select 1000000000000 + post_id from post_tags where tag_id = new.id on conflict do nothing;
      insert into search_pending(doc) select 2000000000000 + micro_id from micro_tags where tag_id = new.id on conflict do nothing;
      return null;
    end $$`.execute(db)

  const triggers = [
    `create trigger search_posts_ai after insert on posts for each row when (new.status = 'published')
       execute function search_queue_doc('1000000000000', 'id')`,
    `create trigger search_posts_au after update of title, lead, summary, body_html, status on posts for each row
       when (new.status = 'published' or old.status = 'published') execute function search_queue_doc('1000000000000', 'id')`,
    `create trigger search_posts_status_au after update of status on posts for each row
       when (old.status is distinct from new.status and (new.status = 'published' or old.status = 'published'))
       execute function search_queue_comments_of_post('id')`,
    `create trigger search_posts_ad after delete on posts for each row execute function search_queue_doc('1000000000000', 'id')`,
    `create trigger search_post_tags_aid after insert or delete on post_tags for each row
       execute function search_queue_doc('1000000000000', 'post_id')`,
    `create trigger search_post_tags_comments_aid after insert or delete on post_tags for each row
       execute function search_queue_comments_of_post('post_id')`,
    `create trigger search_tags_au after update of name on tags for each row execute function search_queue_tagged()`,
    `create trigger search_micro_aid after insert or delete on micro_posts for each row
       execute function search_queue_doc('2000000000000', 'id')`,
    `create trigger search_micro_au after update of body, body_html, deleted_at, hidden_at on micro_posts for each row
       execute function search_queue_doc('2000000000000', 'id')`,
    `create trigger search_micro_tags_aid after insert or delete on micro_tags for each row
       execute function search_queue_doc('2000000000000', 'micro_id')`,
    `create trigger search_comments_aid after insert or delete on comments for each row
       execute function search_queue_doc('3000000000000', 'id')`,
    `create trigger search_comments_au after update of body_html, deleted_at, hidden_at, post_id on comments for each row
       execute function search_queue_doc('3000000000000', 'id')`,
  ]
  for (const trigger of triggers) await sql.raw(trigger).execute(db)

  await sql`insert into search_pending(doc)
    select 1000000000000 + id from posts where status = 'published'
    union all select 2000000000000 + id from micro_posts where deleted_at is null and hidden_at is null
    union all select 3000000000000 + id from comments where deleted_at is null and hidden_at is null
    on conflict do nothing`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, table] of [
    ['search_posts_ai', 'posts'], ['search_posts_au', 'posts'], ['search_posts_status_au', 'posts'], ['search_posts_ad', 'posts'],
    ['search_post_tags_aid', 'post_tags'], ['search_post_tags_comments_aid', 'post_tags'], ['search_tags_au', 'tags'],
    ['search_micro_aid', 'micro_posts'], ['search_micro_au', 'micro_posts'], ['search_micro_tags_aid', 'micro_tags'],
    ['search_comments_aid', 'comments'], ['search_comments_au', 'comments'],
  ]) await sql.raw(`drop trigger if exists ${name} on ${table}`).execute(db)
  for (const fn of ['search_queue_doc', 'search_queue_comments_of_post', 'search_queue_tagged']) await sql.raw(`drop function if exists ${fn}()`).execute(db)
  await sql`drop table if exists search_pending`.execute(db)
  await sql`drop table if exists search_index`.execute(db)
  await sql`drop text search configuration if exists betablogg_nb`.execute(db)
}
