// The post editor's writing aids, over the plain form (which works without this file): a toolbar and
// Ctrl/Cmd+B, I, K; dialogs for links, embeds and images; images by drag and drop or paste, uploaded in
// the background; autosave with the version it is based on; a warning before leaving unsaved text; a
// preview beside the text. Markdown stays the source. Every text shown comes from the page (data-messages).
const form = document.getElementById('post_form')
if (form instanceof HTMLFormElement) enhance(form)

function enhance(form) {
  const body = form.elements.namedItem('body')
  const base = form.elements.namedItem('baseRevision')
  const msg = JSON.parse(form.dataset.messages || '{}')
  const status = document.getElementById('editor_status')
  const alertBox = document.getElementById('editor_alert')
  const csrf = () => form.elements.namedItem('_csrf').value
  const say = (text) => { status.textContent = text }
  const warn = (text) => { alertBox.textContent = text }

  // ---- Editing the text ------------------------------------------------------------------------
  // Through the browser's own editing command where it exists, so Ctrl+Z undoes a toolbar action.
  function replaceSelection(text, selectFrom, selectTo) {
    const start = body.selectionStart
    body.focus()
    let done = false
    try { done = document.execCommand('insertText', false, text) } catch { done = false }
    if (!done || body.value.slice(start, start + text.length) !== text) {
      body.setRangeText(text, start, body.selectionEnd, 'end')
      body.dispatchEvent(new Event('input', { bubbles: true }))
    }
    if (selectFrom !== undefined) body.setSelectionRange(start + selectFrom, start + (selectTo ?? selectFrom))
  }

  function wrap(mark, sample) {
    const selected = body.value.slice(body.selectionStart, body.selectionEnd)
    const n = mark.length
    if (selected.length > 2 * n && selected.startsWith(mark) && selected.endsWith(mark)) {
      return replaceSelection(selected.slice(n, -n), 0, selected.length - 2 * n) // pressed again: undone
    }
    // Spaces stay outside the marks: "**word **" is not bold in Markdown.
    const lead = /^\s*/.exec(selected)[0]
    const trail = selected.trim() ? /\s*$/.exec(selected)[0] : ''
    const core = selected.trim() || sample
    replaceSelection(lead + mark + core + mark + trail, lead.length + n, lead.length + n + core.length)
  }

  const PREFIXES = { heading: /^#{1,6}\s+/, bullets: /^[-*+]\s+/, numbers: /^\d+[.)]\s+/, quote: /^>\s?/ }
  const ANY_PREFIX = /^(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?)/

  // Heading, lists and quote work on whole lines: every line the selection touches.
  function prefixLines(kind, sample) {
    const v = body.value
    const s = body.selectionStart
    const e = Math.max(s, body.selectionEnd - (body.selectionEnd > s && v[body.selectionEnd - 1] === '\n' ? 1 : 0))
    const from = v.lastIndexOf('\n', s - 1) + 1
    let to = v.indexOf('\n', e)
    if (to < 0) to = v.length
    const lines = v.slice(from, to).split('\n')
    const pattern = PREFIXES[kind]
    const undo = lines.some((l) => pattern.test(l)) && lines.every((l) => pattern.test(l) || !l.trim())
    let n = 0
    const out = lines.map((l) => {
      if (undo) return l.replace(pattern, '')
      if (!l.trim() && lines.length > 1) return l
      n += 1
      const mark = kind === 'heading' ? '## ' : kind === 'bullets' ? '- ' : kind === 'numbers' ? `${n}. ` : '> '
      return mark + (l.replace(ANY_PREFIX, '') || sample)
    }).join('\n')
    // A block needs a blank line from the paragraph around it, or Markdown joins them.
    const prevLine = v.slice(v.lastIndexOf('\n', from - 2) + 1, Math.max(0, from - 1))
    const nextLine = v.slice(to + 1, v.indexOf('\n', to + 1) < 0 ? v.length : v.indexOf('\n', to + 1))
    const apart = (line) => !undo && kind !== 'heading' && line.trim() && !pattern.test(line)
    const pre = from > 0 && apart(prevLine) ? '\n' : ''
    const post = to < v.length && apart(nextLine) ? '\n' : ''
    body.setSelectionRange(from, to)
    const onlySample = lines.length === 1 && !lines[0].replace(ANY_PREFIX, '').trim() && !undo
    const at = pre.length + out.length - (onlySample ? sample.length : 0)
    replaceSelection(pre + out + post, onlySample ? at : pre.length + out.length, pre.length + out.length)
  }

  // A block (image, embed) on lines of its own, after the selection.
  function insertBlock(text) {
    const at = body.selectionEnd
    const before = body.value.slice(0, at)
    const after = body.value.slice(at)
    const pre = !before || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n'
    const post = after.startsWith('\n\n') ? '' : after.startsWith('\n') ? '\n' : '\n\n'
    body.setSelectionRange(at, at)
    replaceSelection(pre + text + post, pre.length + text.length + post.length)
  }

  const escapeLinkText = (t) => t.replace(/[\\[\]]/g, (c) => `\\${c}`)
  const cleanUrl = (u) => u.trim().replace(/ /g, '%20').replace(/\(/g, '%28').replace(/\)/g, '%29')
  const validUrl = (u) => /^(https?:\/\/[^\s/]+\S*|\/(?!\/)\S*|mailto:\S+@\S+)$/i.test(u.trim())
  const validWebUrl = (u) => /^https?:\/\/[^\s/]+\S*$/i.test(u.trim())

  // ---- Dialogs ---------------------------------------------------------------------------------
  function fieldError(input, text) {
    const id = `${input.id}-error`
    let p = document.getElementById(id)
    const described = (input.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== id)
    if (!text) {
      p?.remove()
      input.removeAttribute('aria-invalid')
      input.closest('.field')?.classList.remove('has-error')
    } else {
      if (!p) {
        p = document.createElement('p')
        p.className = 'error-message'
        p.id = id
        input.before(p)
      }
      p.textContent = text
      described.push(id)
      input.setAttribute('aria-invalid', 'true')
      input.closest('.field')?.classList.add('has-error')
    }
    if (described.length) input.setAttribute('aria-describedby', described.join(' '))
  }

  /** Opens a dialog; resolves with its form's inputs when confirmed (and `check` finds nothing), else null. */
  function ask(dialog, { prepare, check, opener }) {
    const dform = dialog.querySelector('form')
    dform.reset()
    for (const input of dform.querySelectorAll('input')) fieldError(input, '')
    prepare?.(dform)
    // The text's selection, where the result goes: a modal dialog may take it away from the textarea.
    const selection = [body.selectionStart, body.selectionEnd]
    return new Promise((resolve) => {
      const finish = (value) => {
        dform.removeEventListener('submit', onSubmit)
        cancel.removeEventListener('click', onCancel)
        dialog.removeEventListener('cancel', onCancel)
        if (dialog.open) dialog.close()
        body.focus()
        body.setSelectionRange(selection[0], selection[1])
        if (!value && opener) opener.focus()
        resolve(value)
      }
      const onSubmit = (event) => {
        event.preventDefault()
        const first = check(dform)
        if (first) first.focus()
        else finish(dform.elements)
      }
      const onCancel = (event) => { event.preventDefault(); finish(null) }
      const cancel = dform.querySelector('[data-cancel]')
      dform.addEventListener('submit', onSubmit)
      cancel.addEventListener('click', onCancel)
      dialog.addEventListener('cancel', onCancel)
      dialog.showModal()
      dform.querySelector('input:not([type=hidden]):not([hidden])')?.focus()
    })
  }

  async function link(opener) {
    const selected = body.value.slice(body.selectionStart, body.selectionEnd)
    const fields = await ask(document.getElementById('link_dialog'), {
      opener,
      prepare: (f) => { f.elements.linkText.value = selected.trim() },
      check: (f) => {
        const url = f.elements.linkUrl
        fieldError(url, validUrl(url.value) ? '' : msg.urlInvalid)
        return validUrl(url.value) ? null : url
      },
    })
    if (!fields) return
    const url = cleanUrl(fields.linkUrl.value)
    const text = fields.linkText.value.trim()
    replaceSelection(text ? `[${escapeLinkText(text)}](${url})` : `<${url}>`)
  }

  async function embed(opener) {
    const fields = await ask(document.getElementById('embed_dialog'), {
      opener,
      check: (f) => {
        const url = f.elements.embedUrl
        fieldError(url, validWebUrl(url.value) ? '' : msg.urlInvalid)
        return validWebUrl(url.value) ? null : url
      },
    })
    if (fields) insertBlock(cleanUrl(fields.embedUrl.value))
  }

  // ---- Images: a dialog for the texts, then the upload in the background -------------------------
  let uploadsInFlight = 0
  let placeholderCount = 0
  const isImage = (file) => /^image\/(jpeg|png|webp|gif)$/.test(file.type)

  async function image(file, opener) {
    const dialog = document.getElementById('image_dialog')
    const fields = await ask(dialog, {
      opener,
      prepare: (f) => {
        dialog.querySelector('[data-file-field]').hidden = !!file
        const name = dialog.querySelector('[data-file-name]')
        name.hidden = !file
        name.textContent = file ? file.name || '' : ''
      },
      check: (f) => {
        const picked = file || f.elements.dialogImage.files[0]
        const fileError = picked ? (isImage(picked) ? '' : msg.notImage) : msg.fileRequired
        if (!file) fieldError(f.elements.dialogImage, fileError)
        const alt = f.elements.dialogAlt
        fieldError(alt, alt.value.trim() ? '' : msg.altRequired)
        if (fileError && !file) return f.elements.dialogImage
        return alt.value.trim() ? null : alt
      },
    })
    if (!fields) return
    const chosen = file || fields.dialogImage.files[0]
    await uploadImage(chosen, fields.dialogAlt.value.trim(), fields.dialogCredit.value.trim())
  }

  async function uploadImage(file, alt, credit) {
    // A placeholder where the image goes: the author keeps writing while it uploads.
    placeholderCount += 1
    const token = `](${msg.placeholder.replace(/\s+/g, '-')}-${Date.now().toString(36)}${placeholderCount})`
    insertBlock(`![${escapeLinkText(alt)}${token}`)
    const progress = document.createElement('progress')
    progress.max = 100
    progress.value = 0
    progress.className = 'upload-progress'
    progress.setAttribute('aria-label', msg.uploading)
    status.after(progress)
    say(msg.uploading)
    uploadsInFlight += 1
    const result = await send(file, alt, credit, (share) => { progress.value = Math.round(share * 100) })
    uploadsInFlight -= 1
    progress.remove()
    const end = body.value.indexOf(token)
    const start = end < 0 ? -1 : body.value.lastIndexOf('![', end)
    if (result.ok) {
      if (start >= 0) replaceRange(start, end + token.length, result.data.snippet)
      warn('')
      say(msg.inserted.replace('{alt}', alt))
    } else {
      if (start >= 0) replaceRange(start, end + token.length, '', true)
      say('')
      warn(msg.uploadFailed.replace('{reason}', result.reason))
    }
  }

  // Changes text away from the cursor (the author may be typing elsewhere meanwhile).
  function replaceRange(start, end, text, dropBlankLine) {
    let to = end
    if (dropBlankLine && body.value.slice(to, to + 2) === '\n\n') to += 2
    body.setRangeText(text, start, to, 'preserve')
    body.dispatchEvent(new Event('input', { bubbles: true }))
  }

  function send(file, alt, credit, onProgress) {
    return new Promise((resolve) => {
      const data = new FormData()
      data.set('imageAlt', alt)
      data.set('imageCredit', credit)
      data.set('image', file, file.name || 'bilde.png')
      const xhr = new XMLHttpRequest()
      xhr.open('POST', form.dataset.uploadUrl)
      xhr.setRequestHeader('x-csrf-token', csrf())
      xhr.setRequestHeader('accept', 'application/json')
      xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total) })
      xhr.addEventListener('load', () => {
        let json = null
        try { json = JSON.parse(xhr.responseText) } catch { json = null }
        if (xhr.status === 201 && json) resolve({ ok: true, data: json })
        else if (json?.message) resolve({ ok: false, reason: json.message })
        else resolve({ ok: false, reason: xhr.responseURL.includes('/login') ? msg.session : msg.network })
      })
      xhr.addEventListener('error', () => resolve({ ok: false, reason: msg.network }))
      xhr.send(data)
    })
  }

  async function images(files) {
    for (const file of files) {
      if (!isImage(file)) { warn(msg.uploadFailed.replace('{reason}', msg.notImage)); continue }
      await image(file)
    }
  }

  body.addEventListener('paste', (event) => {
    const data = event.clipboardData
    const files = [...(data?.files ?? [])]
    // Text copied from a document may carry a picture of itself: then the text is what was meant.
    if (!files.length || data.getData('text/plain')) return
    event.preventDefault()
    images(files)
  })
  body.addEventListener('dragover', (event) => {
    if (![...(event.dataTransfer?.types ?? [])].includes('Files')) return
    event.preventDefault()
    body.classList.add('dropping')
  })
  body.addEventListener('dragleave', () => body.classList.remove('dropping'))
  body.addEventListener('drop', (event) => {
    body.classList.remove('dropping')
    const files = [...(event.dataTransfer?.files ?? [])]
    if (!files.length) return
    event.preventDefault()
    images(files)
  })

  // ---- Toolbar and shortcuts --------------------------------------------------------------------
  const toolbar = document.getElementById('body_toolbar')
  const tools = [...toolbar.querySelectorAll('button[data-tool]')]
  function run(tool, opener) {
    if (tool === 'bold') return wrap('**', msg.bold)
    if (tool === 'italic') return wrap('*', msg.italic)
    if (tool === 'heading') return prefixLines('heading', msg.heading)
    if (tool === 'bullets' || tool === 'numbers') return prefixLines(tool, msg.item)
    if (tool === 'quote') return prefixLines('quote', msg.quote)
    if (tool === 'link') return link(opener)
    if (tool === 'embed') return embed(opener)
    if (tool === 'image') return image(undefined, opener)
  }
  for (const button of tools) button.addEventListener('click', () => run(button.dataset.tool, button))
  // One tab stop for the toolbar; arrow keys move within it (roving tabindex).
  toolbar.addEventListener('keydown', (event) => {
    const i = tools.indexOf(document.activeElement)
    if (i < 0) return
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tools.length - 1 }[event.key]
    if (next === undefined) return
    event.preventDefault()
    const target = tools[(next + tools.length) % tools.length]
    for (const b of tools) b.tabIndex = b === target ? 0 : -1
    target.focus()
  })
  body.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return
    const tool = { b: 'bold', i: 'italic', k: 'link' }[event.key.toLowerCase()]
    if (!tool) return
    event.preventDefault()
    run(tool)
  })
  // With the toolbar, nobody needs the Markdown cheat sheet: its hint gives way to the toolbar's.
  toolbar.hidden = false
  document.getElementById('f_body-tools').hidden = false
  document.getElementById('f_body-hint').hidden = true
  body.setAttribute('aria-describedby', `${(body.getAttribute('aria-describedby') || '').replace('f_body-hint', '')} f_body-tools`.trim())

  // The images listed under the form: "insert into the text" instead of copying the line.
  for (const button of form.querySelectorAll('button.insert-image')) {
    button.hidden = false
    button.addEventListener('click', () => insertBlock(button.dataset.snippet))
  }

  // ---- Autosave ------------------------------------------------------------------------------------
  const FIELDS = ['title', 'slug', 'lead', 'body', 'tags', 'coverUploadId']
  const QUIET_MS = 3000
  const valueOf = (name) => form.elements.namedItem(name)?.value ?? ''
  const snapshot = () => JSON.stringify(FIELDS.map(valueOf))
  let savedSnapshot = snapshot()
  let autosaveUrl = form.dataset.autosaveUrl
  let timer = 0
  let saving = false
  let paused = false
  let leaving = false
  const dirty = () => snapshot() !== savedSnapshot

  // One save at a time, and none once the form itself is being sent (it carries the same text).
  let inflight = null
  async function save(keepalive = false) {
    if (leaving) return
    if (inflight) return inflight
    inflight = saveNow(keepalive)
    try {
      await inflight
    } finally {
      inflight = null
    }
  }

  async function saveNow(keepalive) {
    clearTimeout(timer)
    timer = 0
    if (!autosaveUrl || paused || saving || !dirty()) return
    saving = true
    const sent = snapshot()
    const data = new URLSearchParams()
    for (const name of FIELDS) if (form.elements.namedItem(name)) data.set(name, valueOf(name))
    data.set('baseRevision', base.value)
    say(msg.saving)
    try {
      const res = await fetch(autosaveUrl, {
        method: 'POST', body: data, credentials: 'same-origin', keepalive: keepalive && data.toString().length < 60_000,
        headers: { 'x-csrf-token': csrf(), accept: 'application/json' },
      })
      const json = res.redirected ? null : await res.json().catch(() => null)
      if (!json) {
        warn(msg.session)
      } else if (res.ok) {
        savedSnapshot = sent
        base.value = String(json.revisionId)
        say(json.status)
        if (autosaveUrl !== json.autosaveUrl) {
          // A new post is a draft now: later saves and the form go to it, and a reload finds it.
          autosaveUrl = json.autosaveUrl
          form.action = json.editUrl
          history.replaceState(history.state, '', json.editUrl)
        }
      } else if (res.status === 409 && json.conflict) {
        paused = true
        say('')
        showConflict(json)
      } else {
        say(json.message || msg.failed)
        if (res.status === 409) paused = true
      }
    } catch {
      say(msg.failed)
      timer = setTimeout(save, 5 * QUIET_MS)
    } finally {
      saving = false
    }
    if (!paused && dirty() && !timer) schedule()
  }
  function schedule() {
    clearTimeout(timer)
    timer = setTimeout(() => { timer = 0; save() }, QUIET_MS)
  }

  function showConflict(json) {
    const slot = document.getElementById('conflict_slot')
    slot.innerHTML = json.html // rendered by the server from escaped text
    wireConflict(json.revisionId)
    slot.querySelector('#edit_conflict')?.focus()
  }
  function wireConflict() {
    const keep = document.querySelector('[data-keep-mine]')
    // Saving mine over the version just seen is a choice, made here: the form carries that version.
    keep?.addEventListener('click', () => { base.value = keep.dataset.keepMine })
    document.querySelector('[data-take-theirs]')?.addEventListener('click', () => { savedSnapshot = snapshot() })
  }
  wireConflict()
  if (document.getElementById('edit_conflict')) paused = true

  form.addEventListener('input', () => {
    if (autosaveUrl && !paused) schedule()
  })
  form.addEventListener('change', () => {
    if (autosaveUrl && !paused) schedule()
  })
  // A form sent while an autosave is on its way waits for it: a new post would otherwise be created
  // twice, and a draft's form would be based on a version the autosave has just replaced.
  let resubmitting = false
  form.addEventListener('submit', (event) => {
    clearTimeout(timer)
    timer = 0
    if (inflight && !resubmitting && !event.defaultPrevented) {
      event.preventDefault()
      const submitter = event.submitter
      inflight.finally(() => {
        resubmitting = true
        if (submitter && submitter.form === form) form.requestSubmit(submitter)
        else form.requestSubmit()
      })
      return
    }
    leaving = true
  })
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save(true)
  })
  window.addEventListener('beforeunload', (event) => {
    if (leaving || (!dirty() && !uploadsInFlight)) return
    event.preventDefault()
    event.returnValue = msg.leave
  })
  say(autosaveUrl ? msg.autosaveOn : msg.autosaveOff)

  // ---- Preview beside the text (rendered by the server: same sanitizer, same template) ------------
  const layout = document.getElementById('editor_layout')
  const pane = document.getElementById('preview_pane')
  const target = document.getElementById('live_preview')
  const toggle = document.getElementById('preview_toggle')
  let previewTimer = 0
  let inFlight = null
  const previewing = () => toggle.getAttribute('aria-pressed') === 'true'
  async function refresh() {
    if (!previewing()) return
    const data = new URLSearchParams()
    for (const name of ['title', 'lead', 'body', 'tags', 'coverUploadId']) data.set(name, valueOf(name))
    if (!data.get('body') && !data.get('title')) return
    inFlight?.abort()
    inFlight = new AbortController()
    try {
      const res = await fetch(form.dataset.previewUrl, {
        method: 'POST', body: data, signal: inFlight.signal, credentials: 'same-origin', headers: { 'x-csrf-token': csrf() },
      })
      if (!res.ok || res.redirected) return
      target.innerHTML = await res.text() // server-rendered, sanitized HTML
      document.dispatchEvent(new CustomEvent('betablogg:content', { detail: target }))
    } catch {
      // Offline or aborted: the last preview stays; the preview button still works.
    }
  }
  function showPreview(on) {
    toggle.setAttribute('aria-pressed', on ? 'true' : 'false')
    pane.hidden = !on
    layout.classList.toggle('previewing', on)
    if (on) refresh()
  }
  toggle.hidden = false
  toggle.addEventListener('click', () => showPreview(!previewing()))
  showPreview(previewing())
  form.addEventListener('input', () => {
    clearTimeout(previewTimer)
    previewTimer = setTimeout(refresh, 600)
  })

  // ---- The side panel: folded away on a phone, unless something in it needs attention -----------
  const panel = document.getElementById('editor_panel')
  if (panel && !panel.hasAttribute('data-keep-open') && window.matchMedia('(max-width: 60rem)').matches) panel.open = false
}
