// Who signs in how, as plain rules: the login page, the invitation page (through ExternalLogin) and the
// invitation e-mail (src/mail, which has no request) must say the same thing.
import type { OidcConfig } from '../config.js'
import type { PasswordLogin } from '../auth/external-login.js'
import type { SiteSettings } from '../settings/store.js'

/** Where the provider's sign-in starts (the "Logg inn med <provider>" button). */
export const SSO_START_PATH = '/sso/login'

/** Password login off is the administrators' choice, and counts only with single sign-on configured; OIDC_ADMIN_LOCAL_LOGIN keeps it for administrators. */
export function passwordLoginMode(oidc: OidcConfig | null, settings: Pick<SiteSettings, 'localLogin'>): PasswordLogin {
  if (!oidc || settings.localLogin) return 'all'
  return oidc.adminLocalLogin ? 'admins' : 'none'
}

/** An account made in advance has no password: claiming takes it over, and so would linking. */
export function takesOverInvitedAccounts(settings: Pick<SiteSettings, 'ssoClaim' | 'ssoLink'>): boolean {
  return settings.ssoClaim || settings.ssoLink
}
