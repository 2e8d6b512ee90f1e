// Single sign-on, when OIDC_* is configured: the client, and what the login page and logout need
// from it (src/auth/external-login.ts). app.ts hands the result to authRoutes and ssoRoutes.
import type { FastifyInstance } from 'fastify'
import type { ExternalLogin } from '../auth/external-login.js'
import { OidcClient } from './client.js'
import { findSsoSession } from './queries.js'

export interface Sso { client: OidcClient; external: ExternalLogin }

export const CALLBACK_PATH = '/sso/callback'
export const LOGGED_OUT_PATH = '/login?loggedOut=1'

export function createSso(app: FastifyInstance): Sso | undefined {
  const oidc = app.config.oidc
  if (!oidc) return undefined
  const client = new OidcClient(oidc, app.config.baseUrl + CALLBACK_PATH, app.outgoing)
  const external: ExternalLogin = {
    label: oidc.buttonLabel,
    startPath: '/sso/login',
    // Password login off is the administrator's choice; OIDC_ADMIN_LOCAL_LOGIN keeps it for admins.
    passwordLogin: async (req) => (req.settings.localLogin ? 'all' : oidc.adminLocalLogin ? 'admins' : 'none'),
    // An account made in advance has no password: claiming takes it over, and so would linking.
    takesOverInvitedAccounts: async (req) => req.settings.ssoClaim || req.settings.ssoLink,
    logoutUrl: async (req) => {
      if (!req.user || !(await findSsoSession(app.db, req.user.sessionId))) return undefined
      return client.endSessionUrl(app.config.baseUrl + LOGGED_OUT_PATH)
    },
  }
  return { client, external }
}
