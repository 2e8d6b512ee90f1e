// arkivstruktur.xml and endringslogg.xml after Arkivverket's Noark 5 v5.0 schemas. The element
// order is the schemas' sequence order (xs:sequence is strict): change it only with the schema open.
import { el, nodes, stableUuid, text, xmlDocument, type XmlNode } from './xml.js'

const NS_STRUKTUR = 'http://www.arkivverket.no/standarder/noark5/arkivstruktur'
const NS_ENDRINGSLOGG = 'http://www.arkivverket.no/standarder/noark5/endringslogg'
const XSI = 'http://www.w3.org/2001/XMLSchema-instance'
export const SYSTEM = 'Betablogg'
export const CREATOR = { id: '942110464', name: 'Trondheim kommune' } // organisasjonsnummer

export interface DocumentFile { path: string; sha256: string; bytes: number; createdAt: string; createdBy: string }
export interface Remark { text: string; type: string; at: string; by: string }
export interface Change { unit: string; field: string; before: string; after: string; at: string; by: string }

export interface RecordModel {
  key: string
  number: number
  title: string
  description?: string
  author: string
  createdAt: string
  documentType: string
  /** One dokumentobjekt per version (versjonsnummer 1, 2, …). */
  versions: DocumentFile[]
}

export interface FolderModel {
  key: string
  mappeId: string
  title: string
  description?: string
  keywords: string[]
  author: string
  createdAt: string
  remarks: Remark[]
  records: RecordModel[]
}

export interface ExtractModel {
  extractId: string
  createdAt: string
  periodStart: string // YYYY-MM-DD
  periodEnd: string
  title: string
  description: string
  partTitle: string
  classTitle: string
  classificationTitle: string
  folders: FolderModel[]
  changes: Change[]
}

export function uuidOf(key: string): string {
  return stableUuid(key)
}

const created = (at: string, by: string) => nodes(text('opprettetDato', at), text('opprettetAv', by))
const closed = (at: string) => nodes(text('avsluttetDato', at), text('avsluttetAv', SYSTEM))

function documentObject(f: DocumentFile, version: number, key: string): string {
  return el('dokumentobjekt', nodes(
    text('systemID', uuidOf(`${key}:v${version}`)), text('versjonsnummer', version), text('variantformat', 'Arkivformat'),
    text('format', 'fmt/354'), text('formatDetaljer', 'PDF/A-2b'), created(f.createdAt, f.createdBy),
    text('referanseDokumentfil', f.path), text('sjekksum', f.sha256), text('sjekksumAlgoritme', 'SHA256'), text('filstoerrelse', f.bytes),
  ))
}

function record(r: RecordModel, archivedAt: string): string {
  const doc = el('dokumentbeskrivelse', nodes(
    text('systemID', uuidOf(`${r.key}:doc`)), text('dokumenttype', r.documentType), text('dokumentstatus', 'Dokumentet er ferdigstilt'),
    text('tittel', r.title), text('forfatter', r.author), created(r.createdAt, r.author),
    text('tilknyttetRegistreringSom', 'Hoveddokument'), text('dokumentnummer', 1), text('tilknyttetDato', archivedAt), text('tilknyttetAv', SYSTEM),
    r.versions.map((v, i) => documentObject(v, i + 1, r.key)),
  ))
  return el('registrering', nodes(
    text('systemID', uuidOf(r.key)), created(r.createdAt, r.author), text('arkivertDato', archivedAt), text('arkivertAv', SYSTEM),
    doc, text('registreringsID', `${r.key}`), text('tittel', r.title), text('beskrivelse', r.description), text('forfatter', r.author),
  ))
}

function remark(m: Remark): string {
  return el('merknad', nodes(text('merknadstekst', m.text), text('merknadstype', m.type), text('merknadsdato', m.at), text('merknadRegistrertAv', m.by)))
}

function folder(f: FolderModel, archivedAt: string): string {
  return el('mappe', nodes(
    text('systemID', uuidOf(f.key)), text('mappeID', f.mappeId), text('tittel', f.title), text('beskrivelse', f.description),
    f.keywords.map((k) => text('noekkelord', k)), text('dokumentmedium', 'Elektronisk arkiv'),
    created(f.createdAt, f.author), closed(archivedAt),
    f.remarks.map(remark),
    f.records.map((r) => record(r, archivedAt)),
  ))
}

export function arkivstrukturXml(m: ExtractModel): Buffer {
  const at = m.createdAt
  const klasse = el('klasse', nodes(
    text('systemID', uuidOf('klasse:blogginnlegg')), text('klasseID', 'blogginnlegg'), text('tittel', m.classTitle), created(at, SYSTEM),
    m.folders.map((f) => folder(f, at)),
  ))
  const system = el('klassifikasjonssystem', nodes(
    text('systemID', uuidOf('klassifikasjonssystem')), text('klassifikasjonstype', 'Emnebasert, ett nivå'),
    text('tittel', m.classificationTitle), created(at, SYSTEM), klasse,
  ))
  const part = el('arkivdel', nodes(
    text('systemID', uuidOf(`arkivdel:${m.extractId}`)), text('tittel', m.partTitle), text('arkivdelstatus', 'Avsluttet periode'),
    text('dokumentmedium', 'Elektronisk arkiv'), created(at, SYSTEM), closed(at),
    text('arkivperiodeStartDato', m.periodStart), text('arkivperiodeSluttDato', m.periodEnd), system,
  ))
  const root = el('arkiv', nodes(
    text('systemID', uuidOf(`arkiv:${m.extractId}`)), text('tittel', m.title), text('beskrivelse', m.description),
    text('arkivstatus', 'Avsluttet'), text('dokumentmedium', 'Elektronisk arkiv'), created(at, SYSTEM), closed(at),
    el('arkivskaper', nodes(text('arkivskaperID', CREATOR.id), text('arkivskaperNavn', CREATOR.name))),
    part,
  ), { xmlns: NS_STRUKTUR, 'xmlns:xsi': XSI, 'xsi:schemaLocation': `${NS_STRUKTUR} arkivstruktur.xsd` })
  return xmlDocument(root)
}

export function endringsloggXml(m: ExtractModel): Buffer {
  // The extract's own closing is always a change, so the log is never empty (the schema wants one).
  const own: Change = { unit: `arkiv:${m.extractId}`, field: 'M051 arkivstatus', before: 'Opprettet', after: 'Avsluttet', at: m.createdAt, by: SYSTEM }
  const entries: XmlNode[] = [own, ...m.changes].map((c) => el('endring', nodes(
    text('referanseArkivenhet', uuidOf(c.unit)), text('referanseMetadata', c.field), text('endretDato', c.at), text('endretAv', c.by),
    text('tidligereVerdi', c.before), text('nyVerdi', c.after),
  )))
  return xmlDocument(el('endringslogg', entries, { xmlns: NS_ENDRINGSLOGG, 'xmlns:xsi': XSI, 'xsi:schemaLocation': `${NS_ENDRINGSLOGG} endringslogg.xsd` }))
}
