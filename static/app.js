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

// Updates and comments: "characters left" under a text field with data-count-max, counted as a person
// counts characters (grapheme clusters), like the server does. Screen readers hear it only near the limit.
function enhanceCounters(root) {
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
  for (const field of root.querySelectorAll('textarea[data-count-max]')) {
    if (field.dataset.counted) continue
    field.dataset.counted = '1'
    const output = document.getElementById(field.dataset.countOutput)
    if (!output) continue
    output.hidden = false
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
}
document.addEventListener('DOMContentLoaded', () => enhanceCounters(document))
document.addEventListener('betablogg:content', (event) => enhanceCounters(event.detail))

// Replies to comments: without JavaScript, "Reply" is a link to a page with a reply form. Here it
// becomes a button that opens the list's one reply form (views/comments/list.eta) under its comment,
// with the field named after the person answered, and closes it again.
function enhanceReplies(root) {
  for (const link of root.querySelectorAll('a[data-reply-to]')) {
    const template = link.closest('section')?.querySelector('template#reply_form_template') // beside the list (list.eta)
    if (!template) continue
    const id = link.dataset.replyTo
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'link-button'
    button.textContent = link.textContent
    button.setAttribute('aria-expanded', 'false')
    button.setAttribute('aria-controls', `reply_form_${id}`)
    link.replaceWith(button)
    button.addEventListener('click', () => {
      let form = document.getElementById(`reply_form_${id}`)
      if (!form) {
        form = template.content.querySelector('form').cloneNode(true)
        form.id = `reply_form_${id}`
        form.hidden = true
        form.querySelector('input[name="parentId"]').value = id
        const field = form.querySelector('textarea')
        field.id = `reply_body_${id}`
        const label = form.querySelector('label')
        label.htmlFor = field.id
        label.textContent = label.dataset.label.replace('{name}', () => link.dataset.replyName) // a name with "$&" stays as it is
        const hint = form.querySelector('[data-id="reply_hint"]')
        const count = form.querySelector('[data-id="reply_count"]')
        hint.id = `reply_hint_${id}`
        count.id = `reply_count_${id}`
        field.setAttribute('aria-describedby', `${hint.id} ${count.id}`)
        field.dataset.countOutput = count.id
        button.parentElement.after(form)
        enhanceCounters(form)
      }
      const opening = form.hidden
      form.hidden = !opening
      button.setAttribute('aria-expanded', String(opening))
      if (opening) form.querySelector('textarea').focus()
    })
  }
}
document.addEventListener('DOMContentLoaded', () => enhanceReplies(document))
document.addEventListener('betablogg:content', (event) => enhanceReplies(event.detail))

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

// Likes, replies and deletions without reloading (forms with data-in-place="<id>"): the same POST with
// Accept: application/json answers where the plain form would have gone, which page to fetch and a
// sentence to announce; the element with that id is swapped for its new version from that page.
// Anything unexpected (a form error, a lost session, no network) falls back to the plain form.
document.addEventListener('DOMContentLoaded', () => {
  const status = document.createElement('div')
  status.className = 'visually-hidden'
  status.setAttribute('role', 'status')
  status.id = 'in_place_status'
  document.body.append(status)
  const busy = new WeakSet()

  document.addEventListener('submit', async (event) => {
    const form = event.target
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !form.dataset.inPlace) return
    const target = document.getElementById(form.dataset.inPlace)
    if (!target || !window.fetch || !window.DOMParser) return
    event.preventDefault()
    if (busy.has(form)) return
    busy.add(form)
    const submitter = event.submitter
    const restoreFocus = submitter && document.activeElement === submitter ? form.getAttribute('action') : null
    try {
      const res = await fetch(form.action, {
        method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin',
        headers: { accept: 'application/json' },
      })
      if (!res.ok || !(res.headers.get('content-type') || '').includes('application/json')) throw new Error('plain')
      const answer = await res.json()
      const url = new URL(answer.refresh, location.href)
      const page = await fetch(url.pathname + url.search, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      const doc = new DOMParser().parseFromString(await page.text(), 'text/html')
      const fresh = page.ok ? doc.getElementById(target.id) : null
      if (!fresh) return location.assign(answer.location) // e.g. the new reply is on another page
      const replacement = document.importNode(fresh, true)
      target.replaceWith(replacement)
      if (!replacement.contains(form)) { // a form beside what it changed (a reply): ready for the next one
        form.reset()
        for (const field of form.querySelectorAll('textarea')) field.dispatchEvent(new Event('input', { bubbles: true }))
      }
      document.dispatchEvent(new CustomEvent('betablogg:content', { detail: replacement }))
      status.textContent = ''
      setTimeout(() => { status.textContent = answer.message }, 50) // a change, so it is read again
      const id = url.hash.slice(1)
      if (id && document.getElementById(id)) history.replaceState(history.state, '', '#' + id) // as the plain form would
      focusAfter(replacement, restoreFocus, id)
    } catch {
      busy.delete(form)
      form.submit() // the plain form: shows errors beside the field, or whatever the server says
      return
    }
    busy.delete(form)
  })

  // A new or changed item inside the refreshed part (a reply, a deleted comment's marker), else the same
  // button again (a like), else the refreshed item itself or the heading of its section.
  function focusAfter(root, action, id) {
    const named = id ? document.getElementById(id) : null
    const inside = named && named !== root && root.contains(named) ? named : null
    const again = action && [...root.querySelectorAll(`form[action="${CSS.escape(action)}"] button[type="submit"]`)].find((b) => b.offsetParent !== null)
    const heading = root.closest('section')?.querySelector('h2') || document.querySelector('h1')
    const el = inside || again || (root.matches('article') ? root : heading)
    if (!el) return
    if (!el.matches('a, button, input, textarea, select, [tabindex]')) el.setAttribute('tabindex', '-1')
    el.focus()
  }
})

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
