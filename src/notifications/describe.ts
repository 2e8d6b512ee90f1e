// A stored notification → the sentence and the link a person sees, in their language. Pure.
import type { MessageKey, Translate } from '../web/i18n/index.js'
import { safeNextPath } from '../web/next-path.js'

export interface StoredNotification {
  kind: string
  actor_name: string | null
  actor_count: number
  subject_type: string
  subject_id: number
  data: string
}

export interface DescribedNotification { text: string; href: string }

const DECISIONS = ['published', 'scheduled', 'approved', 'changes_requested', 'rejected', 'withdrawn', 'deleted']
// The editorial service names decisions by their verb (src/editorial/state-machine.ts).
const DECISION_ALIASES: Record<string, string> = {
  publish: 'published', schedule: 'scheduled', 'request-changes': 'changes_requested', reject: 'rejected', withdraw: 'withdrawn',
}

// A notifications page parses 30 of these: one loop, not the arrays of entries and their copies.
function parseData(json: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  try {
    const v: unknown = JSON.parse(json)
    if (!v || typeof v !== 'object' || Array.isArray(v)) return out
    for (const k of Object.keys(v)) out[k] = String((v as Record<string, unknown>)[k])
  } catch {
    // Not JSON: nothing to tell.
  }
  return out
}

function subjectHref(n: StoredNotification, d: Record<string, string | undefined>): string {
  if (d.href) return safeNextPath(d.href)
  switch (n.subject_type) {
    case 'micro':
      return `/micro/${n.subject_id}#micro_${n.subject_id}`
    case 'comment':
      return d.slug ? `/posts/${encodeURIComponent(d.slug)}#comment_${n.subject_id}` : '/'
    default:
      if (n.kind === 'editorial.submitted' || n.kind === 'editorial.reminder') return '/editorial'
      return d.slug && d.decision === 'published' ? `/posts/${encodeURIComponent(d.slug)}` : '/my/posts'
  }
}

/** "Kari", "Kari and Per", "Kari and 3 others". */
function actors(t: Translate, n: StoredNotification): string {
  const name = n.actor_name ?? t('notif.someone')
  const others = n.actor_count - 1
  if (others <= 0) return name
  return others === 1 ? t('notif.andOne', { name }) : t('notif.andOthers', { name, count: others })
}

export function describeNotification(n: StoredNotification, t: Translate): DescribedNotification {
  const d = parseData(n.data)
  if (d.decision) d.decision = DECISION_ALIASES[d.decision] ?? d.decision
  const p = {
    actor: actors(t, n), title: d.title ?? '', snippet: d.snippet ?? '', reason: d.reason ?? '', days: d.days ?? '',
    date: d.date ?? '', month: d.month ?? '', views: d.views ?? '', posts: d.posts ?? '', comments: d.comments ?? '', count: n.actor_count,
  }
  const onComment = n.subject_type === 'comment'
  let key: MessageKey
  switch (n.kind) {
    case 'mention': key = onComment ? 'notif.mention.comment' : 'notif.mention'; break
    case 'micro.reply': key = 'notif.micro.reply'; break
    case 'micro.like': key = 'notif.micro.like'; break
    case 'comment.reply': key = 'notif.comment.reply'; break
    case 'post.comment': key = 'notif.post.comment'; break
    case 'editorial.submitted': key = 'notif.editorial.submitted'; break
    case 'editorial.reminder': key = 'notif.editorial.reminder'; break
    case 'post.review': key = 'notif.post.review'; break
    case 'stats.summary': key = 'notif.stats.summary'; break
    case 'editorial.decision':
      key = DECISIONS.includes(d.decision ?? '') ? (`notif.editorial.decision.${d.decision}` as MessageKey) : 'notif.editorial.decision'
      break
    case 'moderation.hidden': key = onComment ? 'notif.moderation.hidden.comment' : 'notif.moderation.hidden.micro'; break
    case 'moderation.restored': key = onComment ? 'notif.moderation.restored.comment' : 'notif.moderation.restored.micro'; break
    case 'moderation.reported': key = onComment ? 'notif.moderation.reported.comment' : 'notif.moderation.reported.micro'; break
    case 'follow': key = 'notif.follow'; break // grouped: "Kari og 2 andre følger deg"
    default: key = 'notif.unknown'
  }
  const href = n.kind === 'moderation.reported' ? '/moderation' : subjectHref(n, d)
  return { text: t(key, p), href }
}
