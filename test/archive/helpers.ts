// The Noark 5 schemas are data beside the repository (shared/noark5, see its README), validated with
// Debian's xmllint (libxml2-utils).
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export const SCHEMA_DIR = [path.resolve(ROOT, '../shared/noark5'), path.resolve(ROOT, '../../shared/noark5')]
  .find((d) => fs.existsSync(path.join(d, 'arkivstruktur.xsd'))) ?? path.resolve(ROOT, '../shared/noark5')

/** Validates a file against a schema; returns xmllint's complaint, or '' when valid. */
export function xmllint(file: string, xsd: string): string {
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', path.join(SCHEMA_DIR, xsd), file], { stdio: 'pipe' })
    return ''
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string }
    return e.stderr?.toString() || e.message
  }
}

/** name → SHA-256 as listed in arkivuttrekk.xml (ADDML). */
export function listedChecksums(addml: string): Map<string, string> {
  const out = new Map<string, string>()
  const re = /<dataObject name="([^"]+)">\s*<properties>\s*<property name="file">[\s\S]*?<property name="checksum">[\s\S]*?<property name="value">\s*<value>([0-9a-f]{64})<\/value>/g
  for (const m of addml.matchAll(re)) out.set(m[1]!, m[2]!)
  return out
}
