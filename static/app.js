// Progressive enhancement only: every page works without this file.
document.addEventListener('submit', (event) => {
  const form = event.target
  if (!(form instanceof HTMLFormElement)) return
  const question = form.dataset.confirm
  if (!question) return
  if (!window.confirm(question)) {
    event.preventDefault()
    return
  }
  // Asked here already: the server need not ask again (src/web/confirm.ts).
  const answer = form.querySelector('input[name="_confirm"]')
  if (answer) answer.value = 'yes'
})

document.addEventListener('DOMContentLoaded', () => {
  // After a failed submit, take keyboard and screen-reader users straight to the list of errors.
  const summary = document.getElementById('error_summary')
  if (summary) summary.focus()
})

// Microblog: "characters left" under a text field with data-count-max, counted as a person counts
// characters (grapheme clusters), like the server does. Screen readers hear it only near the limit.
document.addEventListener('DOMContentLoaded', () => {
  const segmenter = 'Segmenter' in Intl ? new Intl.Segmenter(document.documentElement.lang || 'nb', { granularity: 'grapheme' }) : null
  const count = (text) => (segmenter ? [...segmenter.segment(text)].length : [...text].length)
  // Messages may carry "{n, plural, one {# …} other {# …}}" (src/web/i18n): the form for n, as the server picks it.
  const rules = new Intl.PluralRules(document.documentElement.lang || 'nb')
  const fillCount = (template, n) => template
    .replace(/\{n, plural,((?:\s*[=\w]+ \{[^{}]*\})+)\s*\}/g, (whole, options) => {
      const forms = Object.fromEntries([...options.matchAll(/([=\w]+) \{([^{}]*)\}/g)].map((m) => [m[1], m[2]]))
      return (forms['=' + n] ?? forms[rules.select(n)] ?? forms.other ?? '').replace(/#/g, n)
    })
    .replace('{n}', n)
  for (const field of document.querySelectorAll('textarea[data-count-max]')) {
    const output = document.getElementById(field.dataset.countOutput)
    if (!output) continue
    const max = Number(field.dataset.countMax)
    const live = document.createElement('p')
    live.className = 'visually-hidden'
    live.setAttribute('aria-live', 'polite')
    output.after(live)
    let lastBand = ''
    const update = () => {
      const left = max - count(field.value.replace(/\r\n?/g, '\n').trim())
      const text = left >= 0 ? fillCount(field.dataset.countLeft, left) : fillCount(field.dataset.countOver, -left)
      output.textContent = text
      output.classList.toggle('over', left < 0)
      const band = left < 0 ? 'over' : left <= 20 ? 'near' : 'ok'
      if (band !== lastBand && band !== 'ok') live.textContent = text
      lastBand = band
    }
    field.addEventListener('input', update)
    update()
  }
})

// Posts: the editor's aids (toolbar, images, autosave, live preview) are in editor.js, loaded by its page.

// Embedded videos and slides are links until the reader asks for them: only then is anything loaded
// from the provider (privacy: the provider learns nothing from a page view).
function enhanceEmbeds(root) {
  for (const figure of root.querySelectorAll('figure.embed[data-embed-src]')) {
    if (figure.dataset.enhanced) continue
    figure.dataset.enhanced = '1'
    const holder = figure.closest('[data-embed-label]')
    if (!holder) continue // the labels come from the page, in the reader's language
    const link = figure.querySelector('a')
    const src = figure.dataset.embedSrc
    let host = ''
    try { host = new URL(src).hostname } catch { continue }
    const note = document.createElement('p')
    note.className = 'embed-note'
    note.textContent = holder.dataset.embedNote.replace('{host}', host)
    const button = document.createElement('button')
    button.type = 'button'
    button.textContent = `${holder.dataset.embedLabel}: ${link?.textContent ?? ''}`
    button.addEventListener('click', () => {
      const frame = document.createElement('iframe')
      frame.src = src
      frame.title = link?.textContent ?? host
      frame.allow = 'fullscreen; picture-in-picture; encrypted-media'
      frame.allowFullscreen = true
      frame.referrerPolicy = 'strict-origin-when-cross-origin'
      frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-presentation allow-popups')
      figure.replaceChildren(frame)
      frame.focus()
    })
    figure.append(note, button)
  }
}
document.addEventListener('DOMContentLoaded', () => enhanceEmbeds(document))
document.addEventListener('betablogg:content', (event) => enhanceEmbeds(event.detail))

// Copy-link buttons (hidden without JavaScript: the link is there to select and copy by hand).
document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('button[data-copy-from]')) {
    if (!navigator.clipboard) continue
    button.hidden = false
    button.addEventListener('click', async () => {
      const field = document.getElementById(button.dataset.copyFrom)
      const status = button.closest('section')?.querySelector('.copy-status')
      try {
        await navigator.clipboard.writeText(field.value)
        if (status) status.textContent = button.dataset.copied
      } catch {
        field.select()
      }
    })
  }
})
