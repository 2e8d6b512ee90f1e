// The feeds a person might want (their settings page and OPML file), with their key where needed.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { Visibility } from '../config.js'
import type { CurrentUser } from '../users/user.js'
import type { Translate } from '../web/i18n/index.js'
import { feedKeyFor } from './keys.js'
import { feedPath, isAlwaysPrivate, pagePath, withKey, type FeedTarget } from './paths.js'
import { listTagsUsedBy } from './queries.js'
import { xmlAttr, xmlText } from './xml.js'

const OWN_TAGS = 10

export interface PersonalFeed {
  name: string
  rss: string
  atom: string
  page: string
}

export async function personalFeeds(
  db: Kysely<DB>, site: { baseUrl: string; secret: string; visibility: Visibility }, user: CurrentUser, t: Translate,
): Promise<PersonalFeed[]> {
  const key = await feedKeyFor(db, site.secret, user.id)
  const list: [string, FeedTarget][] = [
    [t('feeds.name.posts'), { kind: 'posts' }],
    [t('feeds.name.micro'), { kind: 'micro' }],
    [t('feeds.name.myPosts'), { kind: 'author', username: user.username }],
    [t('feeds.name.myUpdates'), { kind: 'updates', username: user.username }],
  ]
  // Until people can follow tags, the tags they write under are the ones they most likely want.
  for (const { name } of await listTagsUsedBy(db, user.id, OWN_TAGS)) list.push([t('feeds.name.tag', { tag: name }), { kind: 'tag', tag: name }])
  if (user.isEditor) list.push([t('feeds.name.editorial'), { kind: 'editorial' }])
  return list.map(([name, target]) => {
    const k = site.visibility === 'internal' || isAlwaysPrivate(target) ? key : undefined
    return {
      name, page: site.baseUrl + pagePath(target),
      rss: site.baseUrl + withKey(feedPath(target, 'rss'), k), atom: site.baseUrl + withKey(feedPath(target, 'atom'), k),
    }
  })
}

/** An OPML 2.0 subscription list (Atom feeds: they carry authors and update dates). */
export function renderOpml(title: string, feeds: PersonalFeed[], now = new Date()): string {
  const a = xmlAttr
  const outlines = feeds.map((f) => `    <outline type="rss" text="${a(f.name)}" title="${a(f.name)}" xmlUrl="${a(f.atom)}" htmlUrl="${a(f.page)}"/>`)
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>${xmlText(title)}</title>
    <dateCreated>${now.toUTCString()}</dateCreated>
  </head>
  <body>
${outlines.join('\n')}
  </body>
</opml>
`
}
