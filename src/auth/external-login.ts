// What the login page and logout need from a sign-in provider (single sign-on, src/sso), without
// knowing it: app.ts hands one to authRoutes when such a provider is configured.
import type { FastifyRequest } from 'fastify'

/** Who may still log in with a password: everyone, administrators only (break-glass) or nobody. */
export type PasswordLogin = 'all' | 'admins' | 'none'

export function mayUsePassword(mode: PasswordLogin, isAdmin: boolean): boolean {
  return mode === 'all' || (mode === 'admins' && isAdmin)
}

export interface ExternalLogin {
  /** The provider's name: the first button says "Logg inn med <label>". */
  readonly label: string
  /** Starts the provider's sign-in; `next` is appended as a query parameter. */
  readonly startPath: string
  passwordLogin(req: FastifyRequest): Promise<PasswordLogin>
  /** Whether a first sign-in takes over an account made in advance for the same e-mail (the administrators' policy). */
  takesOverInvitedAccounts(req: FastifyRequest): Promise<boolean>
  /** Called while the local session still exists: where to send the browser to sign out at the provider. */
  logoutUrl(req: FastifyRequest): Promise<string | undefined>
}
