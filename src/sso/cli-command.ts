// Break-glass: `npm run cli -- sso password-login on|off`. Whoever runs the command owns the server,
// so it can give password login back when the provider is down or misconfigured.
import type { CliContext } from '../cli/context.js'
import { SettingsStore } from '../settings/store.js'
import { appendAuditEvent } from '../audit/chain.js'

export async function ssoCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [what, value] = args
  if (what !== 'password-login' || (value !== 'on' && value !== 'off')) {
    ctx.err('usage: sso password-login on|off')
    return 2
  }
  const store = new SettingsStore(ctx.database.db, ctx.config)
  const before = (await store.get()).localLogin
  await store.update({ localLogin: value === 'on' }, null)
  await appendAuditEvent(ctx.database.db, {
    actor: null, action: 'settings.update', subjectType: 'settings', subjectId: 0,
    fromState: JSON.stringify({ localLogin: before }), toState: JSON.stringify({ localLogin: value === 'on' }), note: 'command line',
  })
  ctx.out(`Password login is ${value === 'on' ? 'on' : 'off'} (the server sees it within 5 seconds).`)
  return 0
}
