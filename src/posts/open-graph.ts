// What a post page tells link previews (Open Graph): an article, when and by whom it was published,
// its summary and its cover. The layout writes the tags and makes the addresses absolute (BASE_URL).
import type { ImageView } from '../uploads/view.js'

export interface PostOpenGraph {
  ogType: 'article'
  ogDescription: string
  ogArticle: { publishedTime?: string; author?: string }
  /** The cover at its stored size (not a thumbnail): previews pick their own crop. */
  ogImage?: { url: string; width: number; height: number; alt: string }
}

export function postOpenGraph(
  post: { summary: string; published_at: string | null },
  author: { display_name: string } | undefined,
  cover: ImageView | undefined,
): PostOpenGraph {
  return {
    ogType: 'article',
    ogDescription: post.summary,
    ogArticle: { publishedTime: post.published_at ?? undefined, author: author?.display_name },
    ogImage: cover ? { url: cover.url, width: cover.width, height: cover.height, alt: cover.alt } : undefined,
  }
}
