// arkivuttrekk.xml: the extract's description in ADDML 8.3, laid out as Arkivverket's Noark 5
// extracts are (one dataObject for the extract, one per file with its SHA-256 checksum).
import { el, nodes, text, xmlDocument } from './xml.js'
import { CREATOR, SYSTEM } from './noark.js'

const NS = 'http://www.arkivverket.no/standarder/addml'
const XSI = 'http://www.w3.org/2001/XMLSchema-instance'

export interface ListedFile { name: string; sha256: string; bytes: number; kind: 'xml' | 'pdf'; schema?: string }

const prop = (name: string, value?: string, children?: string[]) =>
  el('property', nodes(value !== undefined ? text('value', value) : '', children?.length ? el('properties', children) : ''), { name })

function fileObject(f: ListedFile): string {
  const props = [
    prop('file', undefined, [
      prop('name', f.name),
      prop('format', f.kind === 'xml' ? 'XML' : 'PDF/A-2b'),
      prop('size', String(f.bytes)),
      prop('checksum', undefined, [prop('algorithm', 'SHA256'), prop('value', f.sha256)]),
      ...(f.schema ? [prop('schema', f.schema)] : []),
    ]),
  ]
  return el('dataObject', [el('properties', props)], { name: f.name })
}

export interface AddmlInfo { extractId: string; createdAt: string; periodStart: string; periodEnd: string; folders: number; documents: number }

export function arkivuttrekkXml(info: AddmlInfo, files: ListedFile[]): Buffer {
  const context = el('context', [el('additionalElements', [
    el('additionalElement', [el('additionalElements', [
      el('additionalElement', [text('value', CREATOR.name)], { name: 'recordCreator' }),
    ])], { name: 'recordCreators' }),
    el('additionalElement', [text('value', SYSTEM)], { name: 'systemName' }),
    el('additionalElement', [text('value', 'Noark 5')], { name: 'systemType' }),
    el('additionalElement', [text('value', info.createdAt)], { name: 'extractionDate' }),
  ])])
  const content = el('content', [el('additionalElements', [
    el('additionalElement', [el('properties', [prop('startDate', info.periodStart), prop('endDate', info.periodEnd)])], { name: 'archivalPeriod' }),
    el('additionalElement', [el('properties', [prop('numberOfFolders', String(info.folders)), prop('numberOfDocuments', String(info.documents))])], { name: 'numberOfOccurrences' }),
  ])])
  const objects = el('dataObjects', [
    el('dataObject', nodes(
      el('properties', [prop('info', undefined, [prop('type', 'Noark 5'), prop('version', '5.0')])]),
      el('dataObjects', files.map(fileObject)),
    ), { name: 'Noark 5 arkivuttrekk' }),
  ])
  const dataset = el('dataset', nodes(
    text('description', `${SYSTEM}: arkivuttrekk ${info.periodStart}–${info.periodEnd}`), el('reference', nodes(context, content)), objects,
  ), { name: info.extractId })
  return xmlDocument(el('addml', [dataset], { xmlns: NS, 'xmlns:xsi': XSI, 'xsi:schemaLocation': `${NS} addml.xsd`, name: 'arkivuttrekk' }))
}
