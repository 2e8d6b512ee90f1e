import { parseArgs } from 'node:util'
import type { CliContext } from './context.js'
import { InvalidError, ConflictError } from '../errors.js'
import { createUser, setActive, setPassword, setRoles } from '../users/service.js'
import { findUserByUsername, listUsers } from '../users/queries.js'
import { parseRoles, rolesOf } from '../users/user.js'
import { translator } from '../web/i18n/index.js'

const t = translator('en')

function explain(err: unknown): string {
  if (err instanceof InvalidError) return Object.entries(err.fields).map(([f, key]) => `${f}: ${t(key)}`).join('\n')
  if (err instanceof ConflictError && err.messageKey) return t(err.messageKey)
  return err instanceof Error ? err.message : String(err)
}

/** A password from --password-stdin (first line) or a hidden prompt, asked twice. Never from argv. */
async function readPassword(ctx: CliContext, fromStdin: boolean): Promise<string | undefined> {
  if (fromStdin) return (await ctx.readStdin()).split(/\r?\n/)[0] ?? ''
  const first = await ctx.promptSecret('Password: ')
  if (first === undefined) return undefined
  const again = await ctx.promptSecret('Repeat password: ')
  if (again !== first) throw new InvalidError({ passwordConfirm: 'password.mismatch' })
  return first
}

async function requireUser(ctx: CliContext, username: string | undefined) {
  if (!username) throw new Error('give a username')
  const user = await findUserByUsername(ctx.database.db, username)
  if (!user) throw new Error(`no user "${username}"`)
  return user
}

export async function userCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args
  const db = ctx.database.db
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        role: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' },
        'password-stdin': { type: 'boolean' }, search: { type: 'string' },
      },
    })
    switch (sub) {
      case 'add': {
        const username = positionals[0]
        if (!username) throw new Error('usage: user add <username> [--role employee|editor|admin|editor,admin] [--name "Full Name"] [--email a@b] [--password-stdin]')
        const roles = parseRoles(values.role ?? 'employee')
        if (!roles) throw new Error('--role takes employee, editor, admin or a comma-separated combination')
        const password = await readPassword(ctx, !!values['password-stdin'])
        const created = await createUser(db, null, {
          username, displayName: values.name ?? username, email: values.email, isEditor: roles.isEditor, isAdmin: roles.isAdmin,
          password, passwordConfirm: password,
        })
        ctx.out(`Created user ${username} (${rolesOf(roles).join(', ')}).`)
        if (created.invitation) ctx.out(`No password given: send this invitation link (valid 7 days):\n${ctx.config.baseUrl}/invite/${created.invitation}`)
        return 0
      }
      case 'list': {
        let after: string | undefined
        ctx.out(['username', 'name', 'email', 'roles', 'status'].join('\t'))
        for (;;) {
          const rows = await listUsers(db, { q: values.search, after, limit: 500 })
          for (const u of rows.slice(0, 500)) {
            ctx.out([u.username, u.display_name, u.email ?? '', rolesOf({ isEditor: !!u.is_editor, isAdmin: !!u.is_admin }).join(','), u.is_active ? 'active' : 'deactivated'].join('\t'))
          }
          if (rows.length <= 500) return 0
          after = rows[499]!.username
        }
      }
      case 'role': {
        const user = await requireUser(ctx, positionals[0])
        const roles = parseRoles(positionals[1] ?? values.role ?? '')
        if (!roles) throw new Error('usage: user role <username> <employee|editor|admin|editor,admin>')
        await setRoles(db, null, user.id, roles)
        ctx.out(`${user.username} is now ${rolesOf(roles).join(', ')}.`)
        return 0
      }
      case 'passwd': {
        const user = await requireUser(ctx, positionals[0])
        const password = await readPassword(ctx, !!values['password-stdin'])
        if (password === undefined) throw new Error('no terminal to ask for the password: use --password-stdin')
        await setPassword(db, null, user.id, password, password)
        ctx.out(`Password for ${user.username} changed; all of their sessions have ended.`)
        return 0
      }
      case 'deactivate':
      case 'activate': {
        const user = await requireUser(ctx, positionals[0])
        await setActive(db, null, user.id, sub === 'activate')
        ctx.out(`${user.username} is ${sub === 'activate' ? 'active' : 'deactivated'}.`)
        return 0
      }
      default:
        ctx.err('usage: user add|list|role|passwd|deactivate|activate …')
        return 2
    }
  } catch (err) {
    ctx.err(`error: ${explain(err)}`)
    return 1
  }
}
