import type { Kysely } from 'kysely'

// The WordPress importer's memory: which WordPress thing (per source site) became which row here.
// It makes a repeated import change nothing, and lets the old blog's URLs redirect to the new pages.
// target_id points into users, posts, comments, tags or uploads depending on kind, so there is no
// foreign key: a target deleted here later simply stops being a redirect target and is not re-imported.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wordpress_map')
    .addColumn('source', 'text', (c) => c.notNull()) // the old site's address: 'betatrondheim.no'
    .addColumn('kind', 'text', (c) => c.notNull()) // user | post | comment | term | attachment | upload
    // user: login · post, comment, attachment: the WordPress id · term: 'taxonomy:slug' · upload: path
    .addColumn('wp_key', 'text', (c) => c.notNull())
    .addColumn('wp_id', 'integer') // WordPress id where there is one (author id, term id, post id…)
    .addColumn('wp_slug', 'text') // post_name, term slug, author nicename: what old URLs contain
    .addColumn('wp_type', 'text') // post type ('post', 'page') or taxonomy ('category', 'post_tag')
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    // kind and wp_key first: old URLs are looked up without knowing the source.
    .addPrimaryKeyConstraint('wordpress_map_pk', ['kind', 'wp_key', 'source'])
    .execute()
  await db.schema.createIndex('wordpress_map_slug_idx').on('wordpress_map').columns(['kind', 'wp_slug']).execute()
  await db.schema.createIndex('wordpress_map_id_idx').on('wordpress_map').columns(['kind', 'wp_id']).execute()
  await db.schema.createIndex('wordpress_map_target_idx').on('wordpress_map').columns(['kind', 'target_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wordpress_map').execute()
}
