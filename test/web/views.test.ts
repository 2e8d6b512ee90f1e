// The template engine (src/web/views.ts): includes resolved once, and a name outside the views folder
// refused every time (only a resolved name is remembered).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { VIEW_OPTIONS, VIEWS_DIR, ViewEngine } from '../../src/web/views.js'

test('an include resolves to its file inside the views folder; a name outside it is refused each time', () => {
  const eta = new ViewEngine(VIEW_OPTIONS)
  const from = { filepath: path.join(VIEWS_DIR, 'posts', 'show.eta') }
  const avatar = path.join(VIEWS_DIR, 'partials', 'avatar.eta')
  assert.equal(eta.resolvePath!('/partials/avatar', from), avatar)
  assert.equal(eta.resolvePath!('/partials/avatar', from), avatar)
  assert.equal(eta.resolvePath!('article', from), path.join(VIEWS_DIR, 'posts', 'article.eta'), 'relative to the including file')
  for (let i = 0; i < 2; i++) assert.throws(() => eta.resolvePath!('../../package.json', from), /not in the views directory/)
  const html = eta.render('/partials/avatar', { avatar: { initials: 'KN', tone: 3 } })
  assert.match(html, /avatar-tone-3" aria-hidden="true">KN</)
})

test('every POST form in the views carries the CSRF field, printed with the data it is rendered with', async () => {
  const fs = await import('node:fs')
  const { csrfField } = await import('../../src/web/csrf-field.js')
  // Unsubscribing from an e-mail's link is a token of its own, without a session (csrf: false).
  const TOKEN_FORMS = new Set(['mail/unsubscribe.eta'])
  const missing: string[] = []
  for (const file of fs.readdirSync(VIEWS_DIR, { recursive: true }) as string[]) {
    if (!file.endsWith('.eta') || TOKEN_FORMS.has(file)) continue
    // Eta's tags out first: a `%>` inside a form's opening tag would end it early.
    const text = fs.readFileSync(path.join(VIEWS_DIR, file), 'utf8').replace(/<%(?![~=]\s*it\.csrfField\(\))[\s\S]*?%>/g, '')
    for (const form of text.matchAll(/<form\b[^>]*method="post"[^>]*>/g)) {
      const body = text.slice(form.index + form[0].length, text.indexOf('</form>', form.index))
      if (!body.includes('<%~ it.csrfField() %>')) missing.push(`${file}: ${form[0]}`)
    }
  }
  assert.deepEqual(missing, [])
  const eta = new ViewEngine(VIEW_OPTIONS)
  const page = eta.renderString('<%~ it.csrfField() %><%~ include("/partials/avatar", { avatar: { initials: "A", tone: 1 } }) %>', { csrf: () => 'a"b', csrfField })
  assert.match(page, /^<input type="hidden" name="_csrf" value="a&quot;b">/)
})
