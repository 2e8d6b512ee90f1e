const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for use in HTML text or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

/** Like escapeHtml, but leaves character references (`&amp;`, `&#229;`) alone: for Markdown text. */
export function escapeMarkdownText(text: string): string {
  return text.replace(/&(?!#?[A-Za-z0-9]+;)|[<>"']/g, (c) => ENTITIES[c] ?? c)
}
