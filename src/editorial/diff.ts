// Differences between two versions of a post, as plain data for the templates (which print them as
// <ins>/<del> with text labels, so the change is not told by colour alone). Lines are compared first;
// a changed paragraph is then compared word by word, so one changed word shows as one word.
import { diffLines, diffWordsWithSpace } from 'diff'

export type PartKind = 'same' | 'added' | 'removed' | 'skipped'

export interface DiffPart {
  kind: PartKind
  text: string
  /** For 'skipped': how many unchanged lines are not shown. */
  lines?: number
}

export interface FieldDiff {
  field: 'title' | 'lead' | 'tags' | 'cover' | 'body'
  changed: boolean
  parts: DiffPart[]
}

const CONTEXT_LINES = 2
// Word diffs of very different paragraphs are slow and unreadable; show them as whole lines instead.
const MAX_WORD_EDITS = 400

export function diffText(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = []
  const changes = diffLines(before, after)
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!
    const next = changes[i + 1]
    if (c.removed && next?.added) {
      parts.push(...wordParts(c.value, next.value))
      i++
    } else if (c.added || c.removed) {
      parts.push({ kind: c.added ? 'added' : 'removed', text: c.value })
    } else {
      parts.push(...context(c.value, i === 0, i === changes.length - 1))
    }
  }
  return merge(parts)
}

function wordParts(before: string, after: string): DiffPart[] {
  const words = diffWordsWithSpace(before, after, { maxEditLength: MAX_WORD_EDITS })
  if (!words) return [{ kind: 'removed', text: before }, { kind: 'added', text: after }]
  return words.map((w) => ({ kind: w.added ? 'added' : w.removed ? 'removed' : 'same', text: w.value }))
}

// Long unchanged stretches are cut down to a few lines of context around the changes.
function context(text: string, first: boolean, last: boolean): DiffPart[] {
  const lines = text.split(/(?<=\n)/)
  const keepHead = first ? 0 : CONTEXT_LINES
  const keepTail = last ? 0 : CONTEXT_LINES
  if (lines.length <= keepHead + keepTail + 1) return [{ kind: 'same', text }]
  const out: DiffPart[] = []
  if (keepHead) out.push({ kind: 'same', text: lines.slice(0, keepHead).join('') })
  out.push({ kind: 'skipped', text: '', lines: lines.length - keepHead - keepTail })
  if (keepTail) out.push({ kind: 'same', text: lines.slice(lines.length - keepTail).join('') })
  return out
}

function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = []
  for (const p of parts) {
    const prev = out[out.length - 1]
    if (prev && prev.kind === p.kind && p.kind !== 'skipped') prev.text += p.text
    else if (p.text || p.kind === 'skipped') out.push({ ...p })
  }
  return out
}

export interface Comparable {
  title: string
  lead: string
  tags: string[]
  coverUploadId: number | null
  bodyMd: string
}

/**
 * Field by field; fields without change are marked so a page can leave them out. Tags are compared
 * as a set (their order means nothing); a cover is named by `coverNames` (its alt text) where known.
 */
export function diffContents(before: Comparable, after: Comparable, coverNames: ReadonlyMap<number, string> = new Map()): FieldDiff[] {
  const field = (name: FieldDiff['field'], a: string, b: string): FieldDiff => ({
    field: name, changed: a !== b, parts: a === b ? [{ kind: 'same', text: a }] : diffText(a, b),
  })
  const tags = (c: Comparable) => [...c.tags].sort((x, y) => x.localeCompare(y, 'nb')).join(', ')
  const cover = (c: Comparable) => (c.coverUploadId === null ? '' : coverNames.get(c.coverUploadId) ?? `#${c.coverUploadId}`)
  return [
    field('title', before.title, after.title),
    field('lead', before.lead, after.lead),
    field('tags', tags(before), tags(after)),
    field('cover', cover(before), cover(after)),
    field('body', before.bodyMd, after.bodyMd),
  ]
}
