// Turns the leaf texts collected for one WXR element (keyed 'wp:post_id', 'title', 'content:encoded'…)
// into typed records. Missing fields become '' or 0: WordPress versions differ in what they write.
import { decodeWpSlug } from './permalinks.js'
import { wpGmtToIso, wpLocalToIso, isWpDateSet } from './wp-dates.js'
import type { WxrAuthor, WxrChannel, WxrComment, WxrItem, WxrItemTerm, WxrMeta, WxrTerm } from './wxr-types.js'

export type Fields = Record<string, string>

const str = (f: Fields, key: string) => f[key] ?? ''
const int = (f: Fields, key: string) => {
  const n = Number.parseInt(str(f, key), 10)
  return Number.isFinite(n) ? n : 0
}
const optInt = (f: Fields, key: string) => (key in f ? int(f, key) : undefined)
const trimmed = (f: Fields, key: string) => str(f, key).trim()

export function toChannel(f: Fields): WxrChannel {
  return {
    title: trimmed(f, 'title'),
    link: trimmed(f, 'link'),
    description: trimmed(f, 'description'),
    language: trimmed(f, 'language'),
    wxrVersion: trimmed(f, 'wp:wxr_version'),
    baseSiteUrl: trimmed(f, 'wp:base_site_url'),
    baseBlogUrl: trimmed(f, 'wp:base_blog_url'),
  }
}

export function toAuthor(f: Fields): WxrAuthor {
  return {
    id: optInt(f, 'wp:author_id'),
    login: trimmed(f, 'wp:author_login'),
    email: trimmed(f, 'wp:author_email'),
    displayName: trimmed(f, 'wp:author_display_name'),
    firstName: trimmed(f, 'wp:author_first_name'),
    lastName: trimmed(f, 'wp:author_last_name'),
  }
}

/** element is the local name of the term element: 'category', 'tag' or 'term'. */
export function toTerm(element: string, f: Fields): WxrTerm {
  const common = { id: optInt(f, 'wp:term_id') }
  if (element === 'category') {
    return { ...common, taxonomy: 'category', slug: decodeWpSlug(trimmed(f, 'wp:category_nicename')),
      name: trimmed(f, 'wp:cat_name'), parent: decodeWpSlug(trimmed(f, 'wp:category_parent')),
      description: str(f, 'wp:category_description') }
  }
  if (element === 'tag') {
    return { ...common, taxonomy: 'post_tag', slug: decodeWpSlug(trimmed(f, 'wp:tag_slug')),
      name: trimmed(f, 'wp:tag_name'), parent: '', description: str(f, 'wp:tag_description') }
  }
  return { ...common, taxonomy: trimmed(f, 'wp:term_taxonomy'), slug: decodeWpSlug(trimmed(f, 'wp:term_slug')),
    name: trimmed(f, 'wp:term_name'), parent: decodeWpSlug(trimmed(f, 'wp:term_parent')),
    description: str(f, 'wp:term_description') }
}

export function toMeta(f: Fields): WxrMeta {
  return { key: trimmed(f, 'wp:meta_key'), value: str(f, 'wp:meta_value') }
}

/** WXR 1.0 writes each term twice, once without nicename; keep one per (domain, name). */
export function addItemTerm(terms: WxrItemTerm[], domain: string, nicename: string | undefined, name: string) {
  const d = domain === 'tag' ? 'post_tag' : domain
  const slug = nicename === undefined ? '' : decodeWpSlug(nicename.trim())
  const same = terms.find((t) => t.domain === d && (t.name === name || (slug !== '' && t.slug === slug)))
  if (!same) terms.push({ domain: d, slug, name })
  else if (same.slug === '') same.slug = slug
}

function bestDate(gmt: string, local: string, timeZone: string): string | undefined {
  return wpGmtToIso(gmt) ?? wpLocalToIso(local, timeZone)
}

export function toComment(f: Fields, meta: WxrMeta[], timeZone: string): WxrComment {
  return {
    id: int(f, 'wp:comment_id'),
    author: trimmed(f, 'wp:comment_author'),
    authorEmail: trimmed(f, 'wp:comment_author_email'),
    authorUrl: trimmed(f, 'wp:comment_author_url'),
    authorIp: trimmed(f, 'wp:comment_author_IP'),
    dateGmt: wpGmtToIso(str(f, 'wp:comment_date_gmt')),
    date: bestDate(str(f, 'wp:comment_date_gmt'), str(f, 'wp:comment_date'), timeZone),
    content: str(f, 'wp:comment_content'),
    approved: trimmed(f, 'wp:comment_approved'),
    type: trimmed(f, 'wp:comment_type'),
    parentId: int(f, 'wp:comment_parent'),
    userId: int(f, 'wp:comment_user_id'),
    meta,
  }
}

export interface ItemParts {
  fields: Fields
  terms: WxrItemTerm[]
  meta: WxrMeta[]
  comments: WxrComment[]
}

export function toItem({ fields: f, terms, meta, comments }: ItemParts, timeZone: string): WxrItem {
  const local = trimmed(f, 'wp:post_date')
  return {
    postId: int(f, 'wp:post_id'),
    postType: trimmed(f, 'wp:post_type'),
    status: trimmed(f, 'wp:status'),
    title: trimmed(f, 'title'),
    link: trimmed(f, 'link'),
    guid: trimmed(f, 'guid'),
    pubDate: trimmed(f, 'pubDate'),
    postDateGmt: wpGmtToIso(str(f, 'wp:post_date_gmt')),
    postDate: isWpDateSet(local) ? local : undefined,
    date: bestDate(str(f, 'wp:post_date_gmt'), local, timeZone),
    modifiedGmt: wpGmtToIso(str(f, 'wp:post_modified_gmt')),
    creator: trimmed(f, 'dc:creator'),
    content: str(f, 'content:encoded'),
    excerpt: str(f, 'excerpt:encoded'),
    slug: decodeWpSlug(trimmed(f, 'wp:post_name')),
    parentId: int(f, 'wp:post_parent'),
    menuOrder: int(f, 'wp:menu_order'),
    commentStatus: trimmed(f, 'wp:comment_status'),
    pingStatus: trimmed(f, 'wp:ping_status'),
    password: str(f, 'wp:post_password'),
    isSticky: trimmed(f, 'wp:is_sticky') === '1',
    attachmentUrl: 'wp:attachment_url' in f ? trimmed(f, 'wp:attachment_url') : undefined,
    terms,
    meta,
    comments,
  }
}
