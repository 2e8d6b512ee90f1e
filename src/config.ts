// The only place that reads the environment. loadConfig reports every bad variable at once, so an
// operator fixes a broken deployment in one round, and returns a frozen object.
import path from 'node:path'

export type Visibility = 'internal' | 'public'
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export interface Config {
  readonly nodeEnv: 'production' | 'development' | 'test'
  readonly host: string
  readonly port: number
  readonly dataDir: string
  readonly databaseFile: string
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
  /** Outgoing mail; null when no SMTP server is configured (no e-mail is offered anywhere). */
  readonly mail: MailConfig | null
  readonly outbox: OutboxConfig
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

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
// Development-only secret: production refuses to start without a real one.
const DEV_SECRET = 'development-only-secret-do-not-use-in-production'

type Env = Record<string, string | undefined>

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

  const outbox: OutboxConfig = {
    pollMs: int('OUTBOX_POLL_MS', 5000, 10, 3_600_000),
    retryBaseMs: int('OUTBOX_RETRY_BASE_MS', 60_000, 10, 86_400_000),
    maxAttempts: int('OUTBOX_MAX_ATTEMPTS', 8, 1, 100),
    leaseMs: int('OUTBOX_LEASE_MS', 300_000, 200, 86_400_000),
  }
  const mail = readMailConfig(read, int, bool, problems)

  const config: Config = {
    nodeEnv,
    host,
    port,
    dataDir,
    databaseFile: path.join(dataDir, 'betablogg.sqlite'),
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
    mail,
    outbox: Object.freeze(outbox),
  }
  if (problems.length) throw new ConfigError(problems)
  return Object.freeze(config)
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
