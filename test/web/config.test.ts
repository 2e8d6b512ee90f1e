import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ConfigError, DEFAULT_CACHE_MB, loadConfig, usableCores } from '../../src/config.js'
import { cacheBudget } from '../../src/web/cache-budget.js'

test('defaults suit a laptop', () => {
  const c = loadConfig({})
  assert.equal(c.port, 3000)
  assert.equal(c.host, '127.0.0.1')
  assert.match(c.dataDir, /\/data$/)
  assert.equal(c.siteVisibility, 'internal')
  assert.equal(c.secureCookies, false)
  assert.equal(c.searchWorkers, Math.min(2, usableCores() - 1), 'a search worker per core beyond the first, at most two')
  assert.equal(loadConfig({ SEARCH_WORKERS: '0' }).searchWorkers, 0)
  assert.equal(c.cacheMegabytes, DEFAULT_CACHE_MB)
  assert.equal(loadConfig({ CACHE_MB: '32' }).cacheMegabytes, 32)
  assert.equal(c.heapGrowthPercent, 50)
  assert.equal(loadConfig({ HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent, 0, "0: V8's own rule")
  assert.ok(Object.isFrozen(c))
})

test('CACHE_MB is shared among the caches, none left without room', () => {
  for (const mb of [4, DEFAULT_CACHE_MB, 4096]) {
    const shares = Object.values(cacheBudget(mb))
    assert.ok(shares.every((bytes) => bytes >= 256 * 1024), `${mb} MB: every cache has room for pages`)
    const sum = shares.reduce((a, b) => a + b, 0)
    assert.ok(sum <= mb * 1024 * 1024 && sum > mb * 1024 * 1024 * 0.99, `${mb} MB: the shares add up to the whole`)
  }
})

test('usable cores: the affinity, and a cgroup quota where one is set', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'betablogg-cores-'))
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  const cpuMax = path.join(dir, 'cpu.max')
  assert.equal(usableCores(cpuMax), os.availableParallelism(), 'no quota file')
  await fs.writeFile(cpuMax, 'max 100000\n')
  assert.equal(usableCores(cpuMax), os.availableParallelism(), 'no quota')
  await fs.writeFile(cpuMax, '150000 100000\n')
  assert.equal(usableCores(cpuMax), 1, 'one and a half CPUs: one')
  await fs.writeFile(cpuMax, '5000 100000\n')
  assert.equal(usableCores(cpuMax), 1, 'never fewer than one')
  await fs.writeFile(cpuMax, `${64 * 100000} 100000\n`)
  assert.equal(usableCores(cpuMax), os.availableParallelism(), 'a quota above the affinity: the affinity')
})

test('every bad variable is reported at once, by name, with what is allowed', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', SITE_VISIBILITY: 'everyone', LOG_LEVEL: 'loud', BASE_URL: 'ftp://x', SESSION_SECRET: 'short', SEARCH_WORKERS: 'many', CACHE_MB: '1', HEAP_GROWTH_PERCENT: '-5' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError)
      const text = err.message
      assert.match(text, /PORT must be a whole number from 0 to 65535 \(got "eighty"\)/)
      assert.match(text, /SITE_VISIBILITY must be one of internal, public \(got "everyone"\)/)
      assert.match(text, /LOG_LEVEL must be one of/)
      assert.match(text, /BASE_URL must be an absolute http\(s\) URL/)
      assert.match(text, /SESSION_SECRET must be at least 32 characters/)
      assert.match(text, /SEARCH_WORKERS must be a whole number from 0 to 16 \(got "many"\)/)
      assert.match(text, /CACHE_MB must be a whole number from 4 to 4096 \(got "1"\)/)
      assert.match(text, /HEAP_GROWTH_PERCENT must be a whole number from 0 to 1000 \(got "-5"\)/)
      assert.equal(err.problems.length, 8)
      return true
    },
  )
})

test('production refuses to start without a secret or over plain http', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production', BASE_URL: 'https://blogg.example.no' }), /SESSION_SECRET is required when NODE_ENV=production/)
  assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), BASE_URL: 'http://blogg.example.no' }), /BASE_URL must be https/)
  const ok = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), BASE_URL: 'https://blogg.example.no/' })
  assert.equal(ok.secureCookies, true)
  assert.equal(ok.baseUrl, 'https://blogg.example.no')
  assert.equal(ok.host, '0.0.0.0')
})

test('DATABASE_URL selects PostgreSQL; a bad one is reported without echoing a password', () => {
  assert.equal(loadConfig({}).databaseUrl, null)
  assert.equal(loadConfig({ DATABASE_URL: '' }).databaseUrl, null)
  const url = 'postgres://betablogg:s3cret@db.example.no:5432/betablogg'
  assert.equal(loadConfig({ DATABASE_URL: url }).databaseUrl, url)
  assert.equal(loadConfig({ DATABASE_URL: 'postgresql://u@127.0.0.1/b' }).databaseUrl, 'postgresql://u@127.0.0.1/b')
  for (const bad of ['mysql://u:s3cret@h/db', 'postgres://u:s3cret@h', 'not a url s3cret']) {
    assert.throws(() => loadConfig({ DATABASE_URL: bad }), (err: unknown) => {
      assert.ok(err instanceof ConfigError)
      assert.match(err.message, /DATABASE_URL must be a PostgreSQL URL/)
      assert.doesNotMatch(err.message, /s3cret/)
      return true
    })
  }
})
