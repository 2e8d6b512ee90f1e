// Where the package's files are (views/, static/, package.json): the nearest folder above this module
// that holds package.json. The same whether this runs as TypeScript from src/ (tests, the CLI in
// development) or compiled from dist/src/ (production), so no path here depends on the layout.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`)
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)))

/** A path inside the package, e.g. `packagePath('views')`. */
export const packagePath = (...parts: string[]): string => path.join(PACKAGE_ROOT, ...parts)
