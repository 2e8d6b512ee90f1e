// Documents for the archive as PDF/A-2b (ISO 19005-2, the archival format Arkivverket accepts): every
// font embedded (DejaVu, Debian's fonts-dejavu-core), XMP metadata and an output intent, which pdfkit
// writes when asked for the PDF/A subset. The dates come from the content, so the same content
// gives the same bytes.
import fs from 'node:fs'
import { walkHtml } from '../markdown/walk.js'

export const FONT_DIR = '/usr/share/fonts/truetype/dejavu'
const REGULAR = `${FONT_DIR}/DejaVuSans.ttf`
const BOLD = `${FONT_DIR}/DejaVuSans-Bold.ttf`
const MONO = `${FONT_DIR}/DejaVuSansMono.ttf`

export type BlockKind = 'h1' | 'h2' | 'h3' | 'p' | 'li' | 'quote' | 'pre' | 'meta'
export interface Block { kind: BlockKind; text: string }

export interface PdfContent {
  title: string
  author: string
  lang: string
  createdAt: string
  blocks: Block[]
}

/** Throws early, with the fix, when the fonts PDF/A needs are missing. */
export function assertFontsPresent(): void {
  for (const f of [REGULAR, BOLD, MONO]) {
    if (!fs.existsSync(f)) throw new Error(`font ${f} is missing: install Debian's fonts-dejavu-core`)
  }
}

const BLOCK_OF: Record<string, BlockKind> = {
  h1: 'h2', h2: 'h2', h3: 'h3', h4: 'h3', h5: 'h3', h6: 'h3', p: 'p', li: 'li', blockquote: 'quote', pre: 'pre',
  figcaption: 'p', td: 'p', th: 'p', dt: 'p', dd: 'p',
}

/** The readable text of sanitized HTML as paragraphs, headings, list items and quotes. */
export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = []
  const stack: BlockKind[] = []
  let current = ''
  const flush = () => {
    const kind = stack[stack.length - 1] ?? 'p'
    const t = kind === 'pre' ? current.replace(/\s+$/, '') : current.replace(/\s+/g, ' ').trim()
    if (t) blocks.push({ kind, text: t })
    current = ''
  }
  walkHtml(html, {
    open: (name, attrs) => {
      const kind = BLOCK_OF[name]
      if (kind) { flush(); stack.push(kind) } else if (name === 'br') current += '\n'
      else if (name === 'img' && attrs.alt) current += `[${attrs.alt}]`
    },
    close: (name) => { if (BLOCK_OF[name]) { flush(); stack.pop() } },
    text: (t) => { current += t },
  })
  flush()
  return blocks
}

export async function renderPdf(content: PdfContent): Promise<Buffer> {
  // Loaded on first use: pdfkit and its fonts cost every process that never writes a PDF.
  const { default: PDFDocument } = await import('pdfkit')
  const created = new Date(content.createdAt)
  const doc = new PDFDocument({
    pdfVersion: '1.7', subset: 'PDF/A-2b', lang: content.lang, displayTitle: true, font: REGULAR,
    size: 'A4', margins: { top: 56, bottom: 56, left: 64, right: 64 },
    info: { Title: content.title, Author: content.author, Creator: 'Betablogg', Producer: 'Betablogg', CreationDate: created, ModDate: created },
  } as PDFKit.PDFDocumentOptions)
  doc.registerFont('regular', REGULAR)
  doc.registerFont('bold', BOLD)
  doc.registerFont('mono', MONO)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  doc.font('bold').fontSize(18).text(content.title, { paragraphGap: 8 })
  for (const b of content.blocks) writeBlock(doc, b)
  doc.end()
  return done
}

function writeBlock(doc: PDFKit.PDFDocument, b: Block): void {
  switch (b.kind) {
    case 'meta': doc.font('regular').fontSize(9).fillColor('#444444').text(b.text, { paragraphGap: 2 }).fillColor('#000000'); break
    case 'h1': doc.moveDown(0.5).font('bold').fontSize(15).text(b.text, { paragraphGap: 6 }); break
    case 'h2': doc.moveDown(0.5).font('bold').fontSize(13).text(b.text, { paragraphGap: 4 }); break
    case 'h3': doc.moveDown(0.3).font('bold').fontSize(11).text(b.text, { paragraphGap: 4 }); break
    case 'li': doc.font('regular').fontSize(11).text(`• ${b.text}`, { indent: 12, paragraphGap: 3 }); break
    case 'quote': doc.font('regular').fontSize(11).text(b.text, { indent: 24, paragraphGap: 6 }); break
    case 'pre': doc.font('mono').fontSize(9).text(b.text, { paragraphGap: 6 }); break
    default: doc.font('regular').fontSize(11).text(b.text, { paragraphGap: 6 })
  }
}
