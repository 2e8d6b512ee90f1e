// The only place that reads the environment. loadConfig reports every bad variable at once, so an
// operator fixes a broken deployment in one round, and returns a frozen object.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { isIP } from 'node:net'

/**
 * CACHE_MB unset. 80 (the caches' sizes before it could be set) peaked the intranet day at 315 MB;
 * 56 at 291 MB for about 7 % more CPU in the mix of pages (bench/README.md, fourteenth run).
 */
export const DEFAULT_CACHE_MB = 56

export type Visibility = 'internal' | 'public'
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export interface Config {
  readonly nodeEnv: 'production' | 'development' | 'test'
  readonly host: string
  readonly port: number
  readonly dataDir: string
  readonly databaseFile: string
  /** DATABASE_URL: a postgres:// URL selects PostgreSQL; null keeps the SQLite file above. */
  readonly databaseUrl: string | null
  /** SQLITE_INSTANCES: 'one' server per SQLite database (the default), or 'shared' by several on one machine. */
  readonly sqliteInstances: 'one' | 'shared'
  readonly uploadsDir: string
  readonly backupsDir: string
  readonly baseUrl: string
  /** Cookies get the Secure flag: BASE_URL is https, so the site is served over TLS. */
  readonly secureCookies: boolean
  readonly sessionSecret: string
  readonly sessionIdleMinutes: number
  readonly sessionMaxDays: number
  readonly siteVisibility: Visibility
  readonly logLevel: LogLevel
  readonly trustProxy: boolean
  readonly loginMaxFailures: number
  readonly loginWindowMinutes: number
  readonly bodyLimitBytes: number
  readonly uploadLimitBytes: number
  /** Hosts whose outgoing requests may reach private/loopback addresses (src/outgoing). Empty: none. */
  readonly outgoingAllowPrivate: readonly string[]
  /** Embeds are resolved through the providers' oEmbed endpoints (src/embeds). */
  readonly oembedEnabled: boolean
  /** Replaced oEmbed endpoints per provider (e.g. an internal proxy). */
  readonly oembedEndpoints: Readonly<Partial<Record<'youtube' | 'vimeo' | 'slideshare' | 'stream', string>>>
  /** Outgoing mail; null when no SMTP server is configured (no e-mail is offered anywhere). */
  readonly mail: MailConfig | null
  /** Single sign-on (src/sso); null when OIDC_ISSUER is not set. */
  readonly oidc: OidcConfig | null
  readonly outbox: OutboxConfig
  /** SEARCH_WORKERS: threads that run new searches beside the pages (SQLite; src/search/workers); 0 runs them in the server's thread. */
  readonly searchWorkers: number
  /** CACHE_MB: the bytes of kept pages, bodies and feeds together (src/web/cache-budget.ts splits them). */
  readonly cacheMegabytes: number
  /** HEAP_GROWTH_PERCENT: how far V8's old generation may grow past what is live before it is collected; 0: V8's own rule. */
  readonly heapGrowthPercent: number
}

export interface MailConfig {
  /** An smtp:// or smtps:// URL (SMTP_URL), or the parts (SMTP_HOST …). */
  readonly url: string | null
  readonly host: string | null
  readonly port: number
  readonly secure: boolean
  readonly user: string | null
  readonly password: string | null
  readonly from: string
}

export interface OutboxConfig {
  /** How often the worker looks for due messages. */
  readonly pollMs: number
  /** The first retry waits this long; each further one twice as long as the last (capped at a day). */
  readonly retryBaseMs: number
  /** After this many attempts a message is parked as failed. */
  readonly maxAttempts: number
  /** A claimed message not finished within this time is claimed again (its sender died). */
  readonly leaseMs: number
}

export interface OidcConfig {
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
  readonly scopes: string
  /** The provider's name on the login button: "Logg inn med <label>". */
  readonly buttonLabel: string
  readonly claims: { readonly username: string; readonly name: string; readonly email: string; readonly emailVerified: string | null; readonly groups: string }
  /** Lower-case domains an e-mail address must end in; empty: any. */
  readonly allowedEmailDomains: readonly string[]
  /** Group claim values that give a role; both empty: roles are administered locally. */
  readonly editorGroups: readonly string[]
  readonly adminGroups: readonly string[]
  /** Break-glass: administrators may use their password even when password login is off. */
  readonly adminLocalLogin: boolean
  /** Hosts besides the issuer's that the client may call (e.g. a JWKS on another host). */
  readonly extraHosts: readonly string[]
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

const HOST_PATTERN = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const OEMBED_PROVIDERS = ['youtube', 'vimeo', 'slideshare', 'stream']
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
// Development-only secret: production refuses to start without a real one.
const DEV_SECRET = 'development-only-secret-do-not-use-in-production'

type Env = Record<string, string | undefined>

/**
 * Cores this process may use: its CPU affinity, and a cgroup v2 quota where one is set (a container
 * limited to 1.5 CPUs on a large host counts as one).
 */
export function usableCores(cpuMax = '/sys/fs/cgroup/cpu.max'): number {
  const cores = os.availableParallelism()
  let quota: string[]
  try {
    quota = fs.readFileSync(cpuMax, 'utf8').trim().split(/\s+/)
  } catch {
    return cores
  }
  const [max, period] = quota.map(Number)
  return max! > 0 && period! > 0 ? Math.max(1, Math.min(cores, Math.floor(max! / period!))) : cores
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = []
  const read = (name: string) => {
    const v = env[name]
    return v === undefined || v.trim() === '' ? undefined : v.trim()
  }
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = read(name)
    if (raw === undefined) return def
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`)
      return def
    }
    return n
  }
  const oneOf = <T extends string>(name: string, allowed: readonly T[], def: T): T => {
    const raw = read(name)
    if (raw === undefined) return def
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`)
      return def
    }
    return raw as T
  }
  const bool = (name: string, def: boolean): boolean => {
    const raw = read(name)
    if (raw === undefined) return def
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false
    problems.push(`${name} must be true or false (got "${raw}")`)
    return def
  }

  const nodeEnv = oneOf('NODE_ENV', ['production', 'development', 'test'] as const, 'development')
  const port = int('PORT', 3000, 0, 65535)
  const host = read('HOST') ?? (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1')
  const dataDir = path.resolve(read('DATA_DIR') ?? './data')

  let baseUrl = read('BASE_URL') ?? `http://localhost:${port}`
  try {
    const u = new URL(baseUrl)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol')
    if (u.search || u.hash) throw new Error('query')
    baseUrl = u.href.replace(/\/$/, '')
  } catch {
    problems.push(`BASE_URL must be an absolute http(s) URL without query, e.g. https://blogg.example.no (got "${baseUrl}")`)
  }
  const secureCookies = baseUrl.startsWith('https:')

  let sessionSecret = read('SESSION_SECRET') ?? ''
  if (sessionSecret && sessionSecret.length < 32) {
    problems.push('SESSION_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)')
  }
  if (nodeEnv === 'production') {
    if (!sessionSecret) problems.push('SESSION_SECRET is required when NODE_ENV=production (e.g. `openssl rand -hex 32`)')
    const local = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(baseUrl)
    if (!secureCookies && !local && !bool('ALLOW_INSECURE_HTTP', false)) {
      problems.push('BASE_URL must be https when NODE_ENV=production (cookies would travel unencrypted); set ALLOW_INSECURE_HTTP=true only for a closed test network')
    }
  }
  if (!sessionSecret) sessionSecret = DEV_SECRET

  const outgoingAllowPrivate = (read('OUTGOING_ALLOW_PRIVATE') ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)
  for (const h of outgoingAllowPrivate) {
    if (!isIP(h.replace(/^\[(.*)\]$/, '$1')) && !HOST_PATTERN.test(h)) {
      problems.push(`OUTGOING_ALLOW_PRIVATE must be a comma-separated list of host names or addresses, e.g. proxy.intern,10.0.0.5 (got "${h}")`)
    }
  }
  const oembedEndpoints: Record<string, string> = {}
  for (const pair of (read('OEMBED_ENDPOINTS') ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [provider = '', url = ''] = pair.split(/=(.*)/s)
    let valid = false
    try { valid = /^https?:$/.test(new URL(url).protocol) } catch { /* reported below */ }
    if (!OEMBED_PROVIDERS.includes(provider.trim()) || !valid) {
      problems.push(`OEMBED_ENDPOINTS must be provider=URL pairs separated by commas, providers ${OEMBED_PROVIDERS.join(', ')} (got "${pair}")`)
    } else oembedEndpoints[provider.trim()] = url
  }
  const outbox: OutboxConfig = {
    pollMs: int('OUTBOX_POLL_MS', 5000, 10, 3_600_000),
    retryBaseMs: int('OUTBOX_RETRY_BASE_MS', 60_000, 10, 86_400_000),
    maxAttempts: int('OUTBOX_MAX_ATTEMPTS', 8, 1, 100),
    leaseMs: int('OUTBOX_LEASE_MS', 300_000, 200, 86_400_000),
  }
  const mail = readMailConfig(read, int, bool, problems)
  const databaseUrl = readDatabaseUrl(read('DATABASE_URL'), problems)

  const config: Config = {
    nodeEnv,
    host,
    port,
    dataDir,
    databaseFile: path.join(dataDir, 'betablogg.sqlite'),
    databaseUrl,
    sqliteInstances: oneOf('SQLITE_INSTANCES', ['one', 'shared'] as const, 'one'),
    uploadsDir: path.join(dataDir, 'uploads'),
    backupsDir: path.join(dataDir, 'backups'),
    baseUrl,
    secureCookies,
    sessionSecret,
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', 12 * 60, 5, 60 * 24 * 30),
    sessionMaxDays: int('SESSION_MAX_DAYS', 30, 1, 365),
    siteVisibility: oneOf('SITE_VISIBILITY', ['internal', 'public'] as const, 'internal'),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    trustProxy: bool('TRUST_PROXY', false),
    loginMaxFailures: int('LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginWindowMinutes: int('LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 50 * 1024 * 1024),
    uploadLimitBytes: int('UPLOAD_LIMIT_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    outgoingAllowPrivate: Object.freeze(outgoingAllowPrivate),
    // Off by default in tests: a test that wants it serves the endpoints itself.
    oembedEnabled: bool('OEMBED_ENABLED', nodeEnv !== 'test'),
    // One per core beyond the first, at most two: on a single core a worker costs a search more CPU
    // and the server more memory than it gives back (bench/README.md, "Search workers").
    searchWorkers: int('SEARCH_WORKERS', Math.min(2, usableCores() - 1), 0, 16),
    cacheMegabytes: int('CACHE_MB', DEFAULT_CACHE_MB, 4, 4096),
    heapGrowthPercent: int('HEAP_GROWTH_PERCENT', 50, 0, 1000),
    oembedEndpoints: Object.freeze(oembedEndpoints),
    mail,
    outbox: Object.freeze(outbox),
    oidc: oidcConfig(read, bool, problems, nodeEnv),
  }
  if (problems.length) throw new ConfigError(problems)
  return Object.freeze(config)
}

/** DATABASE_URL: unset keeps SQLite; otherwise a postgres:// URL. Never echoed: it may hold a password. */
function readDatabaseUrl(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null
  let ok = false
  try {
    const u = new URL(raw)
    ok = (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && (u.hostname !== '' || u.searchParams.has('host')) && u.pathname.length > 1
  } catch { /* reported below */ }
  if (!ok) problems.push('DATABASE_URL must be a PostgreSQL URL with host and database, e.g. postgres://betablogg:password@db.example.no:5432/betablogg (unset: the SQLite file in DATA_DIR)')
  return ok ? raw : null
}

// A plain address or "Name <address>": enough to refuse an obvious typo at start-up.
const FROM_RE = /^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/

/** SMTP_URL or SMTP_HOST (+ PORT, SECURE, USER, PASSWORD), and MAIL_FROM; none of them: no mail. */
function readMailConfig(
  read: (name: string) => string | undefined,
  int: (name: string, def: number, min: number, max: number) => number,
  bool: (name: string, def: boolean) => boolean,
  problems: string[],
): MailConfig | null {
  const url = read('SMTP_URL') ?? null
  const host = read('SMTP_HOST') ?? null
  const from = read('MAIL_FROM')
  const user = read('SMTP_USER') ?? null
  const password = read('SMTP_PASSWORD') ?? null
  const secure = bool('SMTP_SECURE', false)
  const port = int('SMTP_PORT', secure ? 465 : 587, 1, 65535)
  if (!url && !host) {
    if (from || user || password) problems.push('SMTP_URL or SMTP_HOST is required when MAIL_FROM, SMTP_USER or SMTP_PASSWORD is set')
    return null
  }
  if (url && host) problems.push('set either SMTP_URL or SMTP_HOST, not both')
  if (url) {
    try {
      const u = new URL(url)
      if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error('protocol')
    } catch {
      problems.push('SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtps://user:password@smtp.example.no:465') // the value may hold a password: not echoed
    }
  }
  if (!from) problems.push('MAIL_FROM is required when mail is configured, e.g. "Betablogg <betablogg@trondheim.kommune.no>"')
  else if (!FROM_RE.test(from)) problems.push(`MAIL_FROM must be an e-mail address, optionally with a name: "Name <address>" (got "${from}")`)
  if ((user && !password) || (!user && password)) problems.push('SMTP_USER and SMTP_PASSWORD go together')
  return Object.freeze({ url, host, port, secure, user, password, from: from ?? '' })
}

const list = (raw: string | undefined) => (raw ?? '').split(',').map((x) => x.trim()).filter(Boolean)

/** OIDC_* variables: all or nothing, once OIDC_ISSUER is set. */
function oidcConfig(
  read: (name: string) => string | undefined, bool: (name: string, def: boolean) => boolean, problems: string[], nodeEnv: string,
): OidcConfig | null {
  const issuer = read('OIDC_ISSUER')
  if (!issuer) return null
  try {
    const u = new URL(issuer)
    const loopback = /^(localhost|127\.0\.0\.1|\[::1\])$/.test(u.hostname)
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback && nodeEnv !== 'production')) throw new Error('protocol')
    if (u.search || u.hash) throw new Error('query')
  } catch {
    problems.push(`OIDC_ISSUER must be the provider's https issuer URL, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0 (got "${issuer}")`)
  }
  const clientId = read('OIDC_CLIENT_ID') ?? ''
  const clientSecret = read('OIDC_CLIENT_SECRET') ?? ''
  if (!clientId) problems.push('OIDC_CLIENT_ID is required when OIDC_ISSUER is set')
  if (!clientSecret) problems.push('OIDC_CLIENT_SECRET is required when OIDC_ISSUER is set')
  const scopes = read('OIDC_SCOPES') ?? 'openid profile email'
  if (!scopes.split(/\s+/).includes('openid')) problems.push(`OIDC_SCOPES must include openid (got "${scopes}")`)
  const claim = (name: string, def: string) => {
    const v = read(name) ?? def
    if (!/^[\w.:/-]{1,100}$/.test(v)) problems.push(`${name} must be a claim name (got "${v}")`)
    return v
  }
  const domains = list(read('OIDC_ALLOWED_EMAIL_DOMAINS')).map((d) => d.toLowerCase().replace(/^@/, ''))
  for (const d of domains) if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(d)) problems.push(`OIDC_ALLOWED_EMAIL_DOMAINS: "${d}" is not a domain`)
  const extraHosts = list(read('OIDC_EXTRA_HOSTS')).map((h) => h.toLowerCase())
  for (const h of extraHosts) if (!/^[a-z0-9.-]+(:\d+)?$/.test(h)) problems.push(`OIDC_EXTRA_HOSTS: "${h}" is not a host name`)
  const verified = claim('OIDC_EMAIL_VERIFIED_CLAIM', 'email_verified')
  let label = read('OIDC_BUTTON_LABEL')
  if (!label) { try { label = new URL(issuer).hostname } catch { label = 'SSO' } }
  if (label.length > 60) problems.push('OIDC_BUTTON_LABEL can have at most 60 characters')
  return {
    issuer, clientId, clientSecret, scopes, buttonLabel: label,
    claims: {
      username: claim('OIDC_USERNAME_CLAIM', 'preferred_username'),
      name: claim('OIDC_NAME_CLAIM', 'name'),
      email: claim('OIDC_EMAIL_CLAIM', 'email'),
      emailVerified: verified === 'none' ? null : verified,
      groups: claim('OIDC_GROUPS_CLAIM', 'groups'),
    },
    allowedEmailDomains: domains,
    editorGroups: list(read('OIDC_EDITOR_GROUPS')),
    adminGroups: list(read('OIDC_ADMIN_GROUPS')),
    adminLocalLogin: bool('OIDC_ADMIN_LOCAL_LOGIN', false),
    extraHosts,
  }
}
