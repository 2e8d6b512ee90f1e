// The only producer of trusted HTML in Betablogg: Markdown → marked (GFM) → one sanitize-html policy.
//
// HTML is rendered on write and stored beside the Markdown source; pages print the stored HTML.
// Changing the policy (sanitize.ts), the renderer or the embed rules therefore changes nothing already
// stored until it is re-rendered: run the CLI re-render command, which calls renderMarkdown again for
// every post and comment (imported posts without Markdown go through sanitizeHtml again).
export { renderMarkdown } from './render.js'
export { sanitizeHtml } from './sanitize.js'
export type { ContentKind } from './sanitize.js'
export { embedFromUrl, EMBED_FRAME_ORIGINS } from './embed.js'
export type { Embed, EmbedProvider } from './embed.js'
export { plainText, deriveLead } from './text.js'
export { markChanges } from './html-diff.js'
export type { ChangeLabels } from './html-diff.js'
