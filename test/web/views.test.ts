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
