// One WordPress item → everything needed to write it: the posts row (without its final slug, which
// is chosen inside the write transaction), its tags, its comments and its problems. Images are
// copied here, before the transaction, so a write transaction never waits for image processing.
import type { Insertable, Kysely } from 'kysely'
import type { CommentsTable, DB, PostsTable } from '../db/schema.js'
import { deriveLead } from '../markdown/index.js'
import { MAX_LEAD, MAX_TITLE } from '../posts/post.js'
import { slugify } from '../posts/slug.js'
import { decodeWpSlug, oldUrlKey } from '../wordpress/permalinks.js'
import type { WxrComment, WxrItem } from '../wordpress/wxr-types.js'
import type { AuthorIds } from './authors.js'
import type { DraftReason } from './classify.js'
import { planComments, type CommentPlan } from './comments.js'
import { convertCommentBody, convertPostBody, leadFromExcerpt, problemAt, textOf } from './content.js'
import type { ImageImporter } from './images.js'
import { findUserIdByEmail } from './queries.js'
import type { ImportProblem, ImportReport } from './report.js'
import type { ExportScan } from './scan.js'
import { isDefaultCategory, PAGE_TAG, tagFromTerm, termKey, type TermRef } from './tags.js'
import { displayNameOf, normaliseEmail } from './users.js'

export interface PreparedComment {
  wpId: number
  /** WordPress id of the top-level comment it replies to. */
  topWpId: number | undefined
  row: Omit<Insertable<CommentsTable>, 'post_id' | 'parent_id'>
}

export interface PreparedTag {
  name: string
  term: (TermRef & { id: number | undefined }) | undefined
}

export interface PreparedPost {
  wpId: number
  wpType: 'post' | 'page'
  /** The WordPress slug, decoded: what old URLs hold. */
  wpSlug: string
  /** Its old URLs as keys (oldUrlKeys): they redirect to the post. */
  oldUrls: string[]
  where: string
  /** Why a post is imported as a draft; undefined when published. */
  draftReason: DraftReason | undefined
  slugBase: string
  row: Omit<Insertable<PostsTable>, 'slug'>
  tags: PreparedTag[]
  comments: PreparedComment[]
  problems: ImportProblem[]
}

export interface PrepareContext {
  db: Kysely<DB>
  scan: ExportScan
  report: ImportReport
  authors: AuthorIds
  images: ImageImporter
  now: string
  /** Channel terms by 'taxonomy:slug', for their WordPress ids. */
  termIds: Map<string, number | undefined>
  /** Commenter e-mail → user id (null: no account), filled as comments are seen. */
  emailUsers: Map<string, number | null>
}

const DRAFT_NOTES: Record<DraftReason, string> = {
  draft: 'was a draft in WordPress',
  pending: 'was waiting for review in WordPress',
  private: 'was private in WordPress',
  scheduled: 'was scheduled in WordPress; schedule it again here if it should still appear',
  password: 'was password-protected in WordPress, which this site does not have; publish it only if it may be read by all',
  'unknown-status': 'had a status this import does not know',
}

export function describe(item: Pick<WxrItem, 'postType' | 'postId' | 'title'>): string {
  const title = textOf(item.title).slice(0, 60)
  return `${item.postType === 'page' ? 'page' : 'post'} ${item.postId}${title ? ` «${title}»` : ''}`
}

export async function preparePost(item: WxrItem, status: 'published' | 'draft', draftReason: DraftReason | undefined,
  ctx: PrepareContext): Promise<PreparedPost> {
  const where = describe(item)
  const problems: ImportProblem[] = []
  const report = problemAt(where, problems)
  let authorId = ctx.authors.byLogin.get(item.creator.toLowerCase())
  if (authorId === undefined) {
    const [login, first] = [...ctx.authors.byLogin][0] ?? []
    if (first === undefined) throw new Error('the export has no authors')
    report('account', `no author (dc:creator "${item.creator}"): attributed to ${login}`)
    authorId = first
  }
  if (draftReason) report('unpublished', `${DRAFT_NOTES[draftReason]}: imported as a draft of its author`)

  const date = item.date ?? item.modifiedGmt
  if (!item.date && status === 'published') report('invalid-date', `no usable publication date; ${date ? 'last modified date' : 'the import time'} used`)
  const publishedAt = status === 'published' ? (date ?? ctx.now) : null
  let title = textOf(item.title)
  if (!title) {
    title = '(uten tittel)'
    report('untitled', 'no title: "(uten tittel)" used')
  }

  const lead = leadFromExcerpt(item.excerpt)
  if ([...title].length > MAX_TITLE) report('too-long', `the title is longer than the ${MAX_TITLE} characters the editor allows; shorten it when editing`)
  if ([...lead].length > MAX_LEAD) report('too-long', `the excerpt (lead) is longer than the ${MAX_LEAD} characters the editor allows; shorten it when editing`)

  const when = new Date(date ?? ctx.now)
  const convert = { ...ctx.scan.uploads, gallery: { attachments: ctx.scan.attachments, postId: item.postId } }
  const bodyHtml = await convertPostBody(item.content, convert, ctx.images.forPost(authorId, when, report), report)
  const thumbnail = Number(item.meta.find((m) => m.key === '_thumbnail_id')?.value)
  const attachment = ctx.scan.attachments.get(thumbnail)
  const cover = attachment?.uploadPath ? await ctx.images.uploadId(attachment.uploadPath, attachment.alt, authorId, when, report) : undefined
  const comments = await prepareComments(item.comments, publishedAt ?? date ?? ctx.now, ctx, where, problems)

  return {
    wpId: item.postId,
    wpType: item.postType === 'page' ? 'page' : 'post',
    wpSlug: item.slug,
    oldUrls: oldUrlKeys(item, ctx.scan.siteUrls),
    where,
    draftReason,
    slugBase: slugBaseOf(item, title),
    row: {
      author_id: authorId, title, lead, summary: lead || deriveLead(bodyHtml), body_md: bodyHtml, body_html: bodyHtml,
      cover_upload_id: cover ?? null, status, published_at: publishedAt,
      comment_count: comments.length,
      comments_closed: item.commentStatus === 'closed' ? 1 : 0,
      created_at: date ?? ctx.now, updated_at: item.modifiedGmt ?? date ?? ctx.now,
    },
    tags: tagsOf(item, ctx, report),
    comments,
    problems,
  }
}

/**
 * An item's old addresses: its <link> (whatever the permalink structure), and its guid when that is an
 * address on the blog's own host (?p=123). The front page is not one: it is ours.
 */
export function oldUrlKeys(item: Pick<WxrItem, 'link' | 'guid'>, siteUrls: readonly string[]): string[] {
  const hosts = new Set(siteUrls.map(hostOf))
  const urls = [item.link, hosts.has(hostOf(item.guid)) ? item.guid : '']
  return [...new Set(urls.filter(Boolean).map(oldUrlKey).filter((k): k is string => k !== undefined && k !== '/'))]
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '')
  } catch {
    return undefined
  }
}

/**
 * The address a post gets from its (decoded) WordPress slug, else its title. A slug or title whose letters
 * our ASCII slugs cannot hold ("中文-2" → "2") is passed over; the last resort names the item by its id.
 */
export function slugBaseOf(item: Pick<WxrItem, 'slug' | 'postType' | 'postId'>, title: string): string {
  for (const text of [decodeWpSlug(item.slug), title]) {
    const slug = slugify(text, '')
    if (slug && !(/\p{L}/u.test(text) && !/[a-z]/.test(slug))) return slug
  }
  return `${item.postType === 'page' ? PAGE_TAG : 'innlegg'}-${item.postId}`
}

function tagsOf(item: WxrItem, ctx: PrepareContext, report: ReturnType<typeof problemAt>): PreparedTag[] {
  const tags: PreparedTag[] = []
  for (const t of item.terms) {
    if (t.domain !== 'category' && t.domain !== 'post_tag') continue
    const term: TermRef = { taxonomy: t.domain, slug: t.slug || t.name.toLowerCase(), name: t.name }
    if (isDefaultCategory(term)) continue
    const name = tagFromTerm(term)
    if (!name) {
      report('dropped-tag', `${term.taxonomy === 'category' ? 'category' : 'tag'} "${t.name}" cannot be a tag here`)
      continue
    }
    if (!tags.some((x) => x.name === name)) tags.push({ name, term: { ...term, id: ctx.termIds.get(termKey(term)) } })
  }
  if (item.postType === 'page' && !tags.some((x) => x.name === PAGE_TAG)) tags.push({ name: PAGE_TAG, term: undefined })
  return tags
}

/** The post's comments to import; `already` skips those imported before (a later export of the same blog). */
export async function prepareComments(all: WxrComment[], fallbackDate: string, ctx: PrepareContext, where: string,
  problems: ImportProblem[], already: ReadonlyMap<number, number> = new Map()): Promise<PreparedComment[]> {
  const plan: CommentPlan = planComments(all, (c) => {
    const user = c.userId > 0 ? ctx.scan.authors.find((a) => a.id === c.userId) : undefined
    return user ? displayNameOf(user) : c.author.trim()
  })
  const out: PreparedComment[] = []
  for (const c of plan.comments) {
    if (already.has(c.wpId)) continue
    const bodyHtml = convertCommentBody(c.content, c.replyTo)
    if (!bodyHtml) {
      ctx.report.comments.skipped.empty++
      continue
    }
    if (!c.date) problems.push({ where: `comment ${c.wpId} on ${where}`, code: 'invalid-date', detail: 'no usable date; the post\'s date used' })
    const authorId = await commenterAccount(c.wpUserId, c.email, ctx)
    out.push({
      wpId: c.wpId,
      topWpId: c.topWpId,
      row: {
        author_id: authorId, author_name: authorId === null ? c.author || 'Anonym' : null,
        body_md: bodyHtml, body_html: bodyHtml, created_at: c.date ?? fallbackDate,
      },
    })
  }
  if (already.size === 0) {
    for (const [k, n] of Object.entries(plan.skipped)) ctx.report.comments.skipped[k as keyof CommentPlan['skipped']] += n
  }
  return out
}

async function commenterAccount(wpUserId: number, rawEmail: string, ctx: PrepareContext): Promise<number | null> {
  const byWpUser = wpUserId > 0 ? ctx.authors.byWpId.get(wpUserId) : undefined
  if (byWpUser !== undefined && byWpUser > 0) return byWpUser
  const email = normaliseEmail(rawEmail)
  if (!email) return null
  let id = ctx.emailUsers.get(email)
  if (id === undefined) {
    id = (await findUserIdByEmail(ctx.db, email))?.id ?? null
    ctx.emailUsers.set(email, id)
  }
  return id
}
