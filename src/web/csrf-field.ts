// The hidden field that carries a form's CSRF token. A function on the page's data rather than an
// included template: a page prints it once per form (a timeline: two forms per update), and an
// include copies the including template's data each time.
import { escapeHtml } from '../markdown/escape.js'

/**
 * `<%~ it.csrfField() %>`: its `this` is the template's data, so it prints that data's token — the
 * person's, or the marker a shared body is rendered with (src/web/shared-page.ts).
 */
export function csrfField(this: { csrf: () => string }): string {
  const token = this.csrf()
  if (token !== last.token) last = { token, field: `<input type="hidden" name="_csrf" value="${escapeHtml(token)}">` }
  return last.field
}

// A page prints the same token in every form: the field is made once per token, not once per form.
let last: { token?: string; field: string } = { field: '' }
