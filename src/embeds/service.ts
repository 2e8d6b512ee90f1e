// Embeds from ordinary addresses: before a post is rendered, each address that is a whole paragraph and
// belongs to a known provider (src/markdown embedCandidates) is looked up in the provider's oEmbed
// endpoint, through the guarded client, and the answer kept in embed_cache. Rendering then reads only
// the cache (resolvedEmbedsFor), inside the saving transaction, so no request is made while the
// database is locked — and a provider that is slow or down never stops a save: the address stays a link
// and the pre-publish check says so.
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { DB } from '../db/schema.js'
import { embedCandidates, type Embed, type EmbedProvider, type ResolvedEmbeds } from '../markdown/index.js'
import type { OutgoingClient } from '../outgoing/client.js'
import { DEFAULT_ENDPOINTS, iframeSrcFromOembed, oembedRequestUrl } from './providers.js'
import { findCachedEmbeds, upsertCachedEmbed } from './queries.js'

const RESOLVED_FOR_MS = 30 * 24 * 3600 * 1000
const RETRY_AFTER_MS = 15 * 60 * 1000 // a failed lookup is asked again on a save after this
const MAX_PER_TEXT = 10
const LIMITS = { timeoutMs: 4000, maxBytes: 64 * 1024, maxRedirects: 2 }

/** The cached iframe URLs for the embed addresses of a Markdown text (no requests). */
export async function resolvedEmbedsFor(db: Kysely<DB>, markdown: string): Promise<ResolvedEmbeds> {
  const urls = embedCandidates(markdown).map((e) => e.url)
  const rows = await findCachedEmbeds(db, urls)
  return new Map(rows.filter((r) => r.src !== null).map((r) => [r.url, r.src!]))
}

export interface EmbedResolver {
  /** Asks the providers about the text's embed addresses that are not freshly cached. Never throws. */
  warm(markdown: string): Promise<void>
}

export function createEmbedResolver(deps: { db: Kysely<DB>; outgoing: OutgoingClient; config: Config; log: FastifyBaseLogger }): EmbedResolver {
  const endpoints: Partial<Record<EmbedProvider, string>> = { ...DEFAULT_ENDPOINTS, ...deps.config.oembedEndpoints }
  return {
    async warm(markdown) {
      if (!deps.config.oembedEnabled) return
      const candidates = embedCandidates(markdown).filter((e) => endpoints[e.provider]).slice(0, MAX_PER_TEXT)
      if (!candidates.length) return
      const now = new Date()
      const cached = new Map((await findCachedEmbeds(deps.db, candidates.map((c) => c.url))).map((r) => [r.url, r]))
      const stale = candidates.filter((c) => (cached.get(c.url)?.expires_at ?? '') <= now.toISOString())
      await Promise.all(stale.map(async (embed) => {
        const answer = await ask(deps, endpoints[embed.provider]!, embed)
        await upsertCachedEmbed(deps.db, {
          url: embed.url, provider: embed.provider, src: answer?.src ?? null, title: answer?.title ?? null,
          fetched_at: now.toISOString(),
          expires_at: new Date(now.getTime() + (answer ? RESOLVED_FOR_MS : RETRY_AFTER_MS)).toISOString(),
        })
      }))
    },
  }
}

async function ask(deps: { outgoing: OutgoingClient; log: FastifyBaseLogger }, endpoint: string, embed: Embed) {
  try {
    const res = await deps.outgoing({
      url: oembedRequestUrl(endpoint, embed.url), allowHosts: [new URL(endpoint).hostname],
      headers: { accept: 'application/json' }, ...LIMITS,
    })
    if (res.status !== 200) {
      deps.log.info({ provider: embed.provider, status: res.status }, 'embed not resolved')
      return undefined
    }
    const body = JSON.parse(res.body.toString('utf8')) as { html?: unknown; title?: unknown }
    const src = iframeSrcFromOembed(embed.provider, body.html)
    if (!src) deps.log.info({ provider: embed.provider }, 'embed answer without an acceptable iframe')
    return src ? { src, title: typeof body.title === 'string' ? body.title.slice(0, 300) : null } : undefined
  } catch (err) {
    // Refusals are logged by the client; a broken answer here.
    if (err instanceof SyntaxError) deps.log.info({ provider: embed.provider }, 'embed answer is not JSON')
    return undefined
  }
}
