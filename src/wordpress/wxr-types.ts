// The records a WordPress export (WXR) yields, one event at a time. Names are camelCase versions of
// the WXR element names (wp:post_name → postName); slugs are percent-decoded (WordPress stores
// `bl%c3%a5b%c3%a6r`, we hand out `blåbær`) so they match what parseWordPressPath returns.

export const KNOWN_WXR_VERSIONS = ['1.0', '1.1', '1.2'] as const

export interface WxrChannel {
  title: string
  link: string
  description: string
  language: string
  wxrVersion: string
  baseSiteUrl: string
  baseBlogUrl: string
}

export interface WxrAuthor {
  id: number | undefined
  login: string
  email: string
  displayName: string
  firstName: string
  lastName: string
}

/** A channel-level term: wp:category, wp:tag or a generic wp:term (nav menus, custom taxonomies). */
export interface WxrTerm {
  /** 'category', 'post_tag', or the wp:term_taxonomy of a generic term. */
  taxonomy: string
  id: number | undefined
  slug: string
  name: string
  /** Slug of the parent term ('' for none); WordPress writes the slug, not the id. */
  parent: string
  description: string
}

/** `<category domain="post_tag" nicename="ikt">IKT</category>` on an item. */
export interface WxrItemTerm {
  /** 'category', 'post_tag' (WXR 1.0's 'tag' is normalised to this), or another taxonomy. */
  domain: string
  slug: string
  name: string
}

export interface WxrMeta {
  key: string
  value: string
}

/** Known values; WordPress plugins may add others, so the field type stays string. */
export type WxrPostStatus = 'publish' | 'draft' | 'pending' | 'private' | 'future' | 'trash' | 'inherit' | 'auto-draft'

export interface WxrComment {
  id: number
  author: string
  authorEmail: string
  authorUrl: string
  authorIp: string
  /** ISO-8601 UTC from wp:comment_date_gmt; undefined when WordPress wrote 0000-00-00. */
  dateGmt: string | undefined
  /** Best effort: dateGmt, else wp:comment_date read in the export's time zone. */
  date: string | undefined
  content: string
  /** '1' approved, '0' pending, 'spam', 'trash' (plugins may write others). */
  approved: string
  /** '' or 'comment' for ordinary comments, 'pingback', 'trackback'. */
  type: string
  /** 0 for a top-level comment. */
  parentId: number
  userId: number
  meta: WxrMeta[]
}

export interface WxrItem {
  postId: number
  /** post, page, attachment, nav_menu_item, revision, or a custom post type. */
  postType: string
  status: WxrPostStatus | (string & {})
  title: string
  link: string
  guid: string
  /** RFC 822 as written; 'Mon, 30 Nov -0001 00:00:00 +0000' for drafts. */
  pubDate: string
  /** ISO-8601 UTC from wp:post_date_gmt; undefined for 0000-00-00 00:00:00 (drafts). */
  postDateGmt: string | undefined
  /** wp:post_date as written (site-local wall time), undefined when zero. */
  postDate: string | undefined
  /** Best effort ISO-8601 UTC: postDateGmt, else postDate read in the export's time zone. */
  date: string | undefined
  modifiedGmt: string | undefined
  /** Author login (dc:creator). */
  creator: string
  content: string
  excerpt: string
  /** Decoded wp:post_name; '' for many drafts. */
  slug: string
  parentId: number
  menuOrder: number
  commentStatus: string
  pingStatus: string
  password: string
  isSticky: boolean
  attachmentUrl: string | undefined
  terms: WxrItemTerm[]
  meta: WxrMeta[]
  comments: WxrComment[]
}

export type WxrEvent =
  | { kind: 'channel'; channel: WxrChannel }
  | { kind: 'author'; author: WxrAuthor }
  | { kind: 'term'; term: WxrTerm }
  | { kind: 'item'; item: WxrItem }

export type WxrErrorCode = 'not-xml' | 'invalid-xml' | 'truncated' | 'not-wxr' | 'unsupported-version' | 'io'

/** Why a file cannot be imported; line is 1-based where the parser knows it. */
export class WxrError extends Error {
  constructor(readonly code: WxrErrorCode, message: string, readonly line?: number, readonly column?: number) {
    super(line === undefined ? message : `${message} (line ${line}${column === undefined ? '' : `, column ${column}`})`)
    this.name = 'WxrError'
  }
}
