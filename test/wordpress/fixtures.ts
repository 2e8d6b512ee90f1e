// Test exports for the WordPress importer, built in code: a small realistic BetaTrondheim export,
// broken inputs, and a generator for large exports (speed tests, streaming).
import { buildWxr, type ItemSpec, type WxrSpec } from './wxr-builder.js'

export { buildWxr, cdata, writeWxrFile, wxrChunks } from './wxr-builder.js'
export type { AuthorSpec, CommentSpec, ItemSpec, TermSpec, WxrSpec } from './wxr-builder.js'

export const SITE = 'http://betatrondheim.no'
const UPLOADS = `${SITE}/wp-content/uploads`

/** Post ids of the sample export, so tests can find what they look for. */
export const IDS = { published: 101, draft: 102, private: 103, page: 104, attachment: 105, hostile: 106, future: 107, pending: 108 }

/** A published post using everything WordPress content can hold. */
export const PUBLISHED_CONTENT = `Trondheim kommune har åpnet et nytt datasett. Her er høydepunktene fra møtet på Øya.
Neste linje i samme avsnitt.

[caption id="attachment_105" align="alignleft" width="300"]<a href="${UPLOADS}/2009/05/bybrua.jpg"><img class="size-medium wp-image-105" src="${UPLOADS}/2009/05/bybrua-300x200.jpg" alt="Gamle bybro" width="300" height="200" /></a> Gamle bybro i vårsol[/caption]

<!--more-->

Se opptaket fra møtet:

<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0" frameborder="0" allowfullscreen></iframe>

http://vimeo.com/1234567

[gallery ids="105,13" columns="2"]

[contact-form-7 id="9" title="Kontakt"]

<img src="/wp-content/uploads/2010/02/mangler.png" alt="Kart over Midtbyen" />

<pre>kode  med
\tinnrykk</pre>`

export const HOSTILE_CONTENT = `Ærlig talt: <script>alert('xss')</script>
<img src="x" onerror="alert(1)"> <a href="javascript:alert(2)">klikk her</a>
<iframe src="javascript:alert(3)"></iframe>
[embed]javascript:alert(4)[/embed]
CDATA-avslutning midt i teksten: ]]> og videre.`

const item = (it: ItemSpec) => it

export function sampleSpec(overrides: Partial<WxrSpec> = {}): WxrSpec {
  return {
    title: 'BetaTrondheim',
    siteUrl: SITE,
    authors: [
      { id: 1, login: 'kari', email: 'kari.nordmann@trondheim.kommune.no', displayName: 'Kari Nordmann', firstName: 'Kari', lastName: 'Nordmann' },
      { id: 2, login: 'ola.odegard', email: 'ola@trondheim.kommune.no', displayName: 'Ola Ødegård', firstName: 'Ola', lastName: 'Ødegård' },
    ],
    categories: [
      { id: 3, slug: 'ikt', name: 'IKT' },
      { id: 4, slug: 'byutvikling', name: 'Byutvikling' },
      { id: 5, slug: 'smart-by', name: 'Smart by', parent: 'byutvikling' },
      { id: 6, slug: 'b%c3%a6rekraft', name: 'Bærekraft', description: 'Grønn omstilling & klima' },
    ],
    tags: [
      { id: 7, slug: 'apne-data', name: 'Åpne data' },
      { id: 8, slug: 'bl%c3%a5b%c3%a6r', name: 'Blåbær' },
    ],
    items: [
      item({ id: IDS.published, title: 'Åpne data i Trondheim & omegn', slug: '%c3%a5pne-data-i-trondheim', date: '2009-05-21T08:30:00Z',
        content: PUBLISHED_CONTENT, categories: ['ikt', 'smart-by'], tags: ['apne-data', 'bl%c3%a5b%c3%a6r'], sticky: true,
        meta: { _thumbnail_id: String(IDS.attachment), _edit_last: '1' },
        comments: [
          { id: 1, author: 'Per Hansen', email: 'per@example.no', url: 'http://per.example.no', date: '2009-05-21T09:00:00Z', content: 'Flott initiativ! Når kommer flere datasett?' },
          { id: 2, author: 'Kari Nordmann', email: 'kari.nordmann@trondheim.kommune.no', date: '2009-05-21T10:15:00Z', content: 'Takk, Per! Flere kommer til høsten.', parent: 1, userId: 1 },
          { id: 3, author: 'Billige klokker', email: 'spam@spam.example', url: 'http://spam.example', date: '2009-05-22T03:00:00Z', content: 'Kjøp nå!!!', approved: 'spam' },
          { id: 4, author: 'Troll', date: '2009-05-22T04:00:00Z', content: 'Slettet innlegg', approved: 'trash', parent: 2 },
          { id: 5, author: 'Åse Ås', email: 'ase@example.no', date: '2009-05-23T12:00:00Z', content: 'Venter på godkjenning', approved: '0' },
          { id: 6, author: 'Annen blogg', url: 'http://annen.example/2009/05/lenke/', date: '2009-05-24T12:00:00Z', content: '[…] BetaTrondheim skriver om åpne data […]', type: 'pingback' },
        ] }),
      item({ id: IDS.draft, title: 'Utkast: skole og barnehage', status: 'draft', date: '2010-01-10T12:00:00Z', gmtZero: true,
        content: 'Ikke ferdig ennå.', creator: 'ola.odegard', categories: ['b%c3%a6rekraft'] }),
      item({ id: IDS.private, title: 'Internt: budsjett 2011', slug: 'internt-budsjett-2011', status: 'private', date: '2010-11-01T07:00:00Z',
        content: 'Kun for ansatte.', excerpt: 'Et eget utdrag.' }),
      item({ id: IDS.page, title: 'Om bloggen', slug: 'om-bloggen', type: 'page', date: '2009-01-01T00:00:00Z', menuOrder: 2,
        content: 'BetaTrondheim er kommunens blogg om IKT.\n\nKontakt oss på <a href="mailto:post@trondheim.kommune.no">e-post</a>.' }),
      item({ id: IDS.attachment, title: 'bybrua', slug: 'bybrua', type: 'attachment', status: 'inherit', date: '2009-05-20T18:00:00Z', parent: IDS.published,
        attachmentUrl: `${UPLOADS}/2009/05/bybrua.jpg`, meta: { _wp_attached_file: '2009/05/bybrua.jpg' } }),
      item({ id: IDS.hostile, title: '<b>Fet</b> tittel & "sitater"', slug: 'fiendtlig', date: '2011-02-02T10:00:00Z', content: HOSTILE_CONTENT, creator: 'ola.odegard' }),
      item({ id: IDS.future, title: 'Planlagt innlegg', slug: 'planlagt', status: 'future', date: '2030-06-01T06:00:00Z', content: 'Kommer snart.' }),
      item({ id: IDS.pending, title: 'Venter på godkjenning', slug: 'venter', status: 'pending', date: '2011-03-03T10:00:00Z', content: 'Til vurdering.' }),
    ],
    ...overrides,
  }
}

/** Inputs the parser must refuse, each with the WxrError code it should give. */
export function badInputs() {
  const good = buildWxr(sampleSpec())
  const cut = good.indexOf('Neste linje i samme avsnitt')
  return {
    notXml: { text: 'Dette er ikke XML, bare tekst med æøå.\n', code: 'not-xml' },
    empty: { text: '', code: 'not-xml' },
    truncated: { text: good.slice(0, cut), code: 'truncated' },
    invalidXml: { text: good.replace('</wp:post_name>', '</wp:post_navn>'), code: 'invalid-xml' },
    notWxr: { text: plainRss(), code: 'not-wxr' },
    atom: { text: '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title></feed>', code: 'not-wxr' },
    unknownVersion: { text: buildWxr(sampleSpec({ version: '9.9' })), code: 'unsupported-version' },
  } as const
}

function plainRss(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Nyheter fra Trondheim</title><link>https://www.trondheim.kommune.no</link>
<item><title>Ny bro over Nidelva</title><link>https://www.trondheim.kommune.no/bro</link><description>Åpner i mai.</description></item>
</channel></rss>`
}

/** A large export generated on the fly: posts × commentsPerPost comments, threaded, some spam. */
export function generatedSpec({ posts, commentsPerPost }: { posts: number; commentsPerPost: number }): WxrSpec {
  const base = sampleSpec()
  return { ...base, items: generatedItems(posts, commentsPerPost) }
}

function* generatedItems(posts: number, commentsPerPost: number): Generator<ItemSpec> {
  const start = Date.UTC(2008, 0, 1)
  let commentId = 1
  for (let i = 1; i <= posts; i++) {
    const date = new Date(start + i * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z')
    const comments = Array.from({ length: commentsPerPost }, (_, c) => ({
      id: commentId + c,
      author: `Leser ${c}`,
      email: `leser${c}@example.no`,
      date,
      content: `Kommentar ${c} om innlegg ${i}: blåbærsyltetøy og rødgrøt med fløte.`,
      parent: c > 0 && c % 3 === 0 ? commentId + c - 1 : 0,
      approved: (c % 10 === 9 ? 'spam' : '1') as '1' | 'spam',
    }))
    commentId += commentsPerPost
    yield {
      id: 1000 + i, title: `Innlegg nummer ${i}: Ærlige svar på løse spørsmål`, slug: `innlegg-${i}`, date,
      creator: i % 2 === 0 ? 'kari' : 'ola.odegard', categories: ['ikt'], tags: ['apne-data'],
      content: `Første avsnitt i innlegg ${i}, om smarte løsninger for Trondheim.\n\n[caption width="300"]<img src="${UPLOADS}/2012/01/bilde-${i}-300x200.jpg" alt="Bilde ${i}" /> Bildetekst ${i}[/caption]\n\nAndre avsnitt med <strong>uthevet</strong> tekst.`,
      comments,
    }
  }
}
