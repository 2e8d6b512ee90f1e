import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, loadConfig } from '../../src/config.js'

const problems = (env: Record<string, string>) => {
  try {
    loadConfig({ NODE_ENV: 'test', ...env })
    return []
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
}

test('mail config: off unless an SMTP server is named; every mistake reported at once', () => {
  assert.equal(loadConfig({ NODE_ENV: 'test' }).mail, null)
  const url = loadConfig({ NODE_ENV: 'test', SMTP_URL: 'smtps://u:p@smtp.example.no', MAIL_FROM: 'Betablogg <b@example.no>' }).mail
  assert.equal(url?.url, 'smtps://u:p@smtp.example.no')
  const parts = loadConfig({ NODE_ENV: 'test', SMTP_HOST: 'smtp.example.no', SMTP_SECURE: 'true', SMTP_USER: 'u', SMTP_PASSWORD: 'p', MAIL_FROM: 'b@example.no' }).mail
  assert.deepEqual([parts?.host, parts?.port, parts?.secure], ['smtp.example.no', 465, true])

  const p = problems({ SMTP_URL: 'http://x', SMTP_HOST: 'y', SMTP_USER: 'u', SMTP_PORT: 'abc' })
  assert.equal(p.length, 5, p.join('\n'))
  assert.ok(p.some((x) => x.startsWith('SMTP_PORT')))
  assert.ok(p.some((x) => x.includes('either SMTP_URL or SMTP_HOST')))
  assert.ok(p.some((x) => x.startsWith('SMTP_URL must be')))
  assert.ok(p.some((x) => x.startsWith('MAIL_FROM is required')))
  assert.ok(p.some((x) => x.startsWith('SMTP_USER and SMTP_PASSWORD')))
  assert.ok(!p.join(' ').includes('http://x'), 'a URL that may hold a password is not echoed')
  assert.deepEqual(problems({ MAIL_FROM: 'b@example.no' }), ['SMTP_URL or SMTP_HOST is required when MAIL_FROM, SMTP_USER or SMTP_PASSWORD is set'])
  assert.match(problems({ SMTP_HOST: 'h', MAIL_FROM: 'not an address' })[0]!, /MAIL_FROM must be an e-mail address/)
  assert.match(problems({ OUTBOX_MAX_ATTEMPTS: '0' })[0]!, /OUTBOX_MAX_ATTEMPTS/)
})

test('reset and unsubscribe tokens in URLs never reach the log', async () => {
  const { redactUrl } = await import('../../src/web/log-url.js')
  assert.equal(redactUrl('/password/reset/s3cret'), '/password/reset/[redacted]')
  assert.equal(redactUrl('/unsubscribe/12.ZGFpbHk.abc'), '/unsubscribe/[redacted]')
})
