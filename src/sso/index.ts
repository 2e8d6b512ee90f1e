// Single sign-on, when OIDC_* is configured: the client, and what the login page and logout need
// from it (src/auth/external-login.ts). app.ts hands the result to authRoutes and ssoRoutes.
import type { FastifyInstance } from 'fastify'
import type { ExternalLogin } from '../auth/external-login.js'
import { OidcClient } from './client.js'
import { findSsoSession } from './queries.js'
import { passwordLoginMode, SSO_START_PATH, takesOverInvitedAccounts } from './policy.js'

export interface Sso { client: OidcClient; external: ExternalLogin }

export const CALLBACK_PATH = '/sso/callback'
export const LOGGED_OUT_PATH = '/login?loggedOut=1'

export function createSso(app: FastifyInstance): Sso | undefined {
  const oidc = app.config.oidc
  if (!oidc) return undefined
  const client = new OidcClient(oidc, app.config.baseUrl + CALLBACK_PATH, app.outgoing)
  const external: ExternalLogin = {
    label: oidc.buttonLabel,
    startPath: SSO_START_PATH,
    passwordLogin: async (req) => passwordLoginMode(oidc, req.settings),
    takesOverInvitedAccounts: async (req) => takesOverInvitedAccounts(req.settings),
    logoutUrl: async (req) => {
      if (!req.user || !(await findSsoSession(app.db, req.user.sessionId))) return undefined
      return client.endSessionUrl(app.config.baseUrl + LOGGED_OUT_PATH)
    },
  }
  return { client, external }
}
