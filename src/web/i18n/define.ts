// Message catalogues are kept per feature (src/<feature>/messages.ts) and merged in ./index.ts.
// Bokmål is the source; the types make nynorsk and English list exactly the same keys.
export type Lang = 'nb' | 'nn' | 'en'
export const LANGS: readonly Lang[] = ['nb', 'nn', 'en']

export interface MessageSet<K extends string> {
  nb: Record<K, string>
  nn: Record<K, string>
  en: Record<K, string>
}

export function defineMessages<const T extends Record<string, string>>(
  nb: T,
  nn: Record<keyof T, string>,
  en: Record<keyof T, string>,
): MessageSet<keyof T & string> {
  return { nb, nn, en }
}
