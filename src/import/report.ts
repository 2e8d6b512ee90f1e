// What an import did (or, in a dry run, would do): counts and every problem, printed by the CLI.
import type { ProblemCode as ContentProblemCode } from '../wordpress/problems.js'
import type { CommentSkip } from './comments.js'
import type { DraftReason, SkipReason } from './classify.js'
import { PAGE_TAG } from './tags.js'

export type ProblemCode =
  | ContentProblemCode
  | 'missing-image' // not in the uploads folder (or no folder given): a visible placeholder instead
  | 'unusable-image' // found but not an image we accept (corrupt, SVG, BMP…): placeholder
  | 'external-image' // from another site: shown as its alt text (images only come from our uploads)
  | 'linked-file' // a link to an old-site file that is not an image (PDF…): left pointing at the old site
  | 'missing-link-target' // a link to an old-site image that is not in the uploads folder
  | 'embed-as-link' // an embed from a provider we do not embed: kept as a link
  | 'invalid-date' // no usable date: another date was used
  | 'duplicate-slug' // the address was taken: a -2, -3 … variant was used
  | 'untitled' // no title: a stand-in was used
  | 'too-long' // a title or lead longer than the editor allows: kept, to be shortened when edited
  | 'duplicate-item' // the export holds the same WordPress id twice: the second is left out
  | 'unpublished' // not published in WordPress (or cannot be here): imported as a draft
  | 'dropped-tag' // a category or tag name that cannot be a tag
  | 'account' // how an author was matched to an account, when it needs a human look
  | 'failed' // could not be written; nothing of it was

export interface ImportProblem {
  /** 'post 101 «Title»', 'author kari', 'comment 7 on post 101'. */
  where: string
  code: ProblemCode
  detail: string
}

export interface ImportReport {
  file: string
  sha256: string
  site: string
  wxrVersion: string
  dryRun: boolean
  users: { created: number; matched: number; already: number }
  posts: { published: number; drafts: number; pages: number; already: number; failed: number; withNewComments: number }
  skippedItems: Partial<Record<SkipReason, number>>
  drafts: Partial<Record<DraftReason, number>>
  comments: { imported: number; already: number; skipped: Record<CommentSkip | 'empty', number> }
  tags: { created: number }
  /** Per file: copied, reused, missing, unusable; external counts each image from another site a post showed. */
  images: { copied: number; reused: number; missing: number; unusable: number; external: number }
  problems: ImportProblem[]
  seconds: number
}

export function emptyReport(base: Pick<ImportReport, 'file' | 'sha256' | 'site' | 'wxrVersion' | 'dryRun'>): ImportReport {
  return {
    ...base,
    users: { created: 0, matched: 0, already: 0 },
    posts: { published: 0, drafts: 0, pages: 0, already: 0, failed: 0, withNewComments: 0 },
    skippedItems: {},
    drafts: {},
    comments: { imported: 0, already: 0, skipped: { spam: 0, trash: 0, pending: 0, pingback: 0, trackback: 0, empty: 0 } },
    tags: { created: 0 },
    images: { copied: 0, reused: 0, missing: 0, unusable: 0, external: 0 },
    problems: [],
    seconds: 0,
  }
}

/** True when the run wrote (or would write) nothing at all. */
export function changedNothing(r: ImportReport): boolean {
  return r.users.created + r.users.matched + r.posts.published + r.posts.drafts + r.comments.imported +
    r.tags.created + r.images.copied === 0
}

const list = (counts: Record<string, number | undefined>) =>
  Object.entries(counts).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(', ')

export function formatReport(r: ImportReport): string[] {
  const would = r.dryRun ? 'would be ' : ''
  const lines = [
    `${r.dryRun ? 'Dry run of the' : 'WordPress'} import of ${r.file} (sha256 ${r.sha256})`,
    `from "${r.site}", WXR ${r.wxrVersion}, in ${r.seconds.toFixed(1)} s.`,
    '',
    `  users:     ${r.users.created} ${would}created (deactivated, no password), ${r.users.matched} ${would}matched to existing accounts, ${r.users.already} already imported`,
    `  posts:     ${r.posts.published} ${would}published, ${r.posts.drafts} ${would}imported as drafts, ${r.posts.already} already imported${r.posts.failed ? `, ${r.posts.failed} FAILED` : ''}`,
  ]
  if (r.posts.pages) lines.push(`             ${r.posts.pages} of them pages, tagged "${PAGE_TAG}"`)
  if (Object.keys(r.drafts).length) lines.push(`             drafts because: ${list(r.drafts)}`)
  if (Object.keys(r.skippedItems).length) lines.push(`             not imported: ${list(r.skippedItems)}`)
  lines.push(
    `  comments:  ${r.comments.imported} ${would}imported, ${r.comments.already} already imported` +
      (list(r.comments.skipped) ? `; not imported: ${list(r.comments.skipped)}` : ''),
    `  tags:      ${r.tags.created} ${would}created`,
    `  images:    ${r.images.copied} ${would}copied, ${r.images.reused} already copied, ${r.images.missing} missing, ${r.images.unusable} unusable, ${r.images.external} from other sites (left out, alt text shown)`,
  )
  if (r.posts.withNewComments) lines.push(`  ${r.posts.withNewComments} already imported posts ${would}given their new comments`)
  if (changedNothing(r)) {
    lines.push('', r.posts.already || r.users.already
      ? 'Everything in this export is already imported: nothing was changed.'
      : 'Nothing to import: nothing was changed.')
  } else if (r.dryRun) {
    lines.push('', 'Dry run: nothing was written.')
  }
  lines.push('')
  if (r.problems.length) {
    lines.push(`Problems (${r.problems.length}):`)
    for (const p of r.problems) lines.push(`  ${p.where}: [${p.code}] ${p.detail}`)
  } else {
    lines.push('No problems found.')
  }
  return lines
}
