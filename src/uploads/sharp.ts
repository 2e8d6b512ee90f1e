// sharp, loaded on first use: most processes never touch an image before someone uploads one, and
// loading the library (and its native binding) costs a process start about a tenth of a second.
import { createRequire } from 'node:module'
import type SharpModule from 'sharp'

let loaded: typeof SharpModule | undefined

export function sharp(): typeof SharpModule {
  loaded ??= createRequire(import.meta.url)('sharp') as typeof SharpModule
  return loaded
}
