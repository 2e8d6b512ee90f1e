// The Noark 5 archive extract of what was published in a period: one mappe per post, a registrering
// for the post (one dokumentobjekt per published version) and one for its comments, the editorial
// decisions as merknader, status and title changes in endringslogg.xml, and arkivuttrekk.xml listing
// every file with its SHA-256. Each extract is recorded in the audit trail with that file's hash.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { appendAuditEvent } from '../audit/chain.js'
import { InvalidError } from '../errors.js'
import { translator, type Translate } from '../web/i18n/index.js'
import { formatter, osloLocalToIso } from '../web/i18n/format.js'
import { actionLabel, stateLabel } from '../editorial/labels.js'
import { assertFontsPresent, htmlToBlocks, renderPdf, type Block } from './pdf.js'
import { arkivstrukturXml, endringsloggXml, SYSTEM, type Change, type DocumentFile, type ExtractModel, type FolderModel, type RecordModel, type Remark } from './noark.js'
import { arkivuttrekkXml, type ListedFile } from './addml.js'
import { sha256Hex } from './xml.js'
import {
  listPostEvents, listPostsPublishedBetween, listRevisionsOf, listVisibleCommentsOf,
  type ArchiveComment, type ArchiveEvent, type ArchivePost, type ArchiveRevision,
} from './queries.js'

export interface ExtractFile { name: string; data: Buffer }
export interface Extract { files: ExtractFile[]; posts: number; documents: number; manifestHash: string; name: string }
export interface Period { from: string; to: string }

const DATE = /^\d{4}-\d{2}-\d{2}$/
const PUBLISHING = new Set(['post.publish', 'post.approve', 'post.edit'])
const DECISIONS = new Set(['post.submit', 'post.publish', 'post.approve', 'post.schedule', 'post.request-changes', 'post.reject', 'post.withdraw', 'post.edit'])

/** Checks a period typed by a person (YYYY-MM-DD, both days included); returns its UTC bounds. */
export function parsePeriod(p: Period): { fromIso: string; toIso: string } {
  const errors: Record<string, 'archive.date.invalid' | 'archive.period.invalid'> = {}
  const fromIso = DATE.test(p.from) ? osloLocalToIso(`${p.from}T00:00`) : undefined
  const next = DATE.test(p.to) ? nextDay(p.to) : undefined
  const toIso = next ? osloLocalToIso(`${next}T00:00`) : undefined
  if (!fromIso) errors.from = 'archive.date.invalid'
  if (!toIso) errors.to = 'archive.date.invalid'
  if (fromIso && toIso && toIso <= fromIso) errors.to = 'archive.period.invalid'
  if (Object.keys(errors).length) throw new InvalidError(errors)
  return { fromIso: fromIso!, toIso: toIso! }
}

function nextDay(date: string): string | undefined {
  const d = new Date(`${date}T12:00:00Z`)
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) return undefined
  return new Date(d.getTime() + 86_400_000).toISOString().slice(0, 10)
}

/** Builds the extract and records it; `actor` null is the command line. Nothing published: InvalidError. */
export async function createExtract(db: Kysely<DB>, period: Period, actor: { id: number; name: string } | null, now = new Date()): Promise<Extract> {
  const { fromIso, toIso } = parsePeriod(period)
  assertFontsPresent()
  const posts = await listPostsPublishedBetween(db, fromIso, toIso)
  if (!posts.length) throw new InvalidError({ from: 'archive.period.empty' })
  const t = translator('nb')
  const createdAt = now.toISOString()
  const extractId = `${period.from}_${period.to}_${createdAt}`
  const files: ExtractFile[] = []
  const folders: FolderModel[] = []
  const changes: Change[] = []
  for (const post of posts) {
    const folder = await postFolder(db, t, post, toIso, files, changes)
    folders.push(folder)
  }
  const model: ExtractModel = {
    extractId, createdAt, periodStart: period.from, periodEnd: period.to, folders, changes,
    title: t('archive.doc.title'), description: t('archive.doc.description', { from: period.from, to: period.to }),
    partTitle: t('archive.doc.part', { from: period.from, to: period.to }),
    classificationTitle: t('archive.doc.classification'), classTitle: t('archive.doc.class'),
  }
  files.unshift({ name: 'arkivstruktur.xml', data: arkivstrukturXml(model) }, { name: 'endringslogg.xml', data: endringsloggXml(model) })
  const listed: ListedFile[] = files.map((f) => ({
    name: f.name, sha256: sha256Hex(f.data), bytes: f.data.length, kind: f.name.endsWith('.xml') ? 'xml' : 'pdf',
    schema: f.name === 'arkivstruktur.xml' ? 'arkivstruktur.xsd' : f.name === 'endringslogg.xml' ? 'endringslogg.xsd' : undefined,
  }))
  const documents = files.length - 2
  const manifest = arkivuttrekkXml({ extractId, createdAt, periodStart: period.from, periodEnd: period.to, folders: folders.length, documents }, listed)
  files.unshift({ name: 'arkivuttrekk.xml', data: manifest })
  const manifestHash = sha256Hex(manifest)
  await appendAuditEvent(db, {
    actor, action: 'archive.extract', subjectType: 'archive', subjectId: 0, at: createdAt,
    note: `${period.from}..${period.to}: ${folders.length} posts, ${documents} documents`, contentHash: manifestHash,
  })
  return { files, posts: folders.length, documents, manifestHash, name: `arkivuttrekk-${period.from}-${period.to}` }
}

function actorOf(t: Translate, e: ArchiveEvent): string {
  return e.display_name ?? (e.actor_name === 'system' ? t('archive.doc.system') : e.actor_name)
}

async function postFolder(db: Kysely<DB>, t: Translate, post: ArchivePost, toIso: string, files: ExtractFile[], changes: Change[]): Promise<FolderModel> {
  const fmt = formatter('nb')
  const [revisions, comments, events] = await Promise.all([listRevisionsOf(db, post.id), listVisibleCommentsOf(db, post.id), listPostEvents(db, post.id, toIso)])
  const published = publishedVersions(revisions, events)
  const key = `post:${post.id}`
  const versions: DocumentFile[] = []
  let previousTitle: string | undefined
  for (const [i, rev] of published.entries()) {
    const blocks: Block[] = [
      { kind: 'meta', text: t('archive.doc.author', { name: rev.author_name }) },
      { kind: 'meta', text: t('archive.doc.published', { date: fmt.dateTime(post.published_at!) }) },
      { kind: 'meta', text: t('archive.doc.version', { n: i + 1, date: fmt.dateTime(rev.created_at) }) },
      ...(rev.tags ? [{ kind: 'meta' as const, text: t('archive.doc.tags', { tags: rev.tags.split(',').join(', ') }) }] : []),
      ...(rev.lead ? [{ kind: 'p' as const, text: rev.lead }] : []),
      ...htmlToBlocks(rev.body_html),
    ]
    const path = `dokumenter/innlegg-${post.id}-v${i + 1}.pdf`
    const data = await renderPdf({ title: rev.title, author: rev.author_name, lang: 'nb', createdAt: rev.created_at, blocks })
    files.push({ name: path, data })
    versions.push({ path, sha256: sha256Hex(data), bytes: data.length, createdAt: rev.created_at, createdBy: rev.author_name })
    if (previousTitle !== undefined && previousTitle !== rev.title) {
      changes.push({ unit: `${key}:post`, field: 'M020 tittel', before: previousTitle, after: rev.title, at: rev.created_at, by: rev.author_name })
    }
    previousTitle = rev.title
  }
  const latest = published[published.length - 1]!
  const records: RecordModel[] = [{
    key: `${key}:post`, number: 1, title: latest.title, description: latest.lead || undefined, author: post.author_name,
    createdAt: post.created_at, documentType: t('archive.doc.post'), versions,
  }]
  if (comments.length) records.push(await commentsRecord(t, post, key, comments, files))
  for (const e of events) {
    if (e.from_state && e.to_state && e.from_state !== e.to_state) {
      const fmtState = (s: string) => stateLabel(t, fmt, s) || s
      changes.push({ unit: key, field: t('archive.doc.status'), before: fmtState(e.from_state), after: fmtState(e.to_state), at: e.at, by: actorOf(t, e) })
    }
  }
  const remarks: Remark[] = events.filter((e) => DECISIONS.has(e.action)).map((e) => ({
    text: e.note ? `${actionLabel(t, e.action)}: ${e.note}` : actionLabel(t, e.action), type: t('archive.doc.remarkType'), at: e.at, by: actorOf(t, e),
  }))
  return {
    key, mappeId: `betablogg-innlegg-${post.id}`, title: latest.title, description: latest.lead || undefined,
    keywords: latest.tags ? latest.tags.split(',').filter(Boolean) : [], author: post.author_name, createdAt: post.created_at, remarks, records,
  }
}

/**
 * The revisions readers saw, in order: for each publish, approve or live edit, the revision with the
 * hash it recorded, else the newest revision saved by then (imported posts, older hash rules).
 */
function publishedVersions(revisions: ArchiveRevision[], events: ArchiveEvent[]): ArchiveRevision[] {
  const out: ArchiveRevision[] = []
  for (const e of events) {
    if (!PUBLISHING.has(e.action)) continue
    const rev = revisions.find((r) => r.content_hash === e.content_hash) ?? revisions.filter((r) => r.created_at <= e.at).pop()
    if (rev && !out.includes(rev)) out.push(rev)
  }
  return out.length ? out : revisions.slice(-1)
}

async function commentsRecord(t: Translate, post: ArchivePost, key: string, comments: ArchiveComment[], files: ExtractFile[]): Promise<RecordModel> {
  const fmt = formatter('nb')
  const number = new Map(comments.map((c, i) => [c.id, i + 1]))
  const blocks: Block[] = comments.flatMap((c, i) => [
    { kind: 'h3' as const, text: `${i + 1}. ${t('archive.doc.comment', { name: c.display_name ?? c.author_name ?? '–', date: fmt.dateTime(c.created_at) })}` },
    ...(c.parent_id && number.has(c.parent_id) ? [{ kind: 'meta' as const, text: t('archive.doc.reply', { n: number.get(c.parent_id)! }) }] : []),
    ...htmlToBlocks(c.body_html),
  ])
  const title = t('archive.doc.commentsTitle', { title: post.title })
  const last = comments.reduce((m, c) => (c.edited_at && c.edited_at > m ? c.edited_at : c.created_at > m ? c.created_at : m), '')
  const data = await renderPdf({ title, author: SYSTEM, lang: 'nb', createdAt: last, blocks })
  const path = `dokumenter/innlegg-${post.id}-kommentarer.pdf`
  files.push({ name: path, data })
  return {
    key: `${key}:comments`, number: 2, title, author: SYSTEM, createdAt: comments[0]!.created_at, documentType: t('archive.doc.comments'),
    versions: [{ path, sha256: sha256Hex(data), bytes: data.length, createdAt: last, createdBy: SYSTEM }],
  }
}
