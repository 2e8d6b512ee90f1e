import { ADMIN_GROUP, CLIENT_ID, CLIENT_SECRET, EDITOR_GROUP } from '../helpers/oidc-provider.js'

/** The app's OIDC_* variables for the test provider (on loopback: allowed for outgoing requests). */
export function ssoEnv(issuer: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET, OIDC_BUTTON_LABEL: 'Trondheim kommune',
    OIDC_EDITOR_GROUPS: EDITOR_GROUP, OIDC_ADMIN_GROUPS: ADMIN_GROUP, OIDC_ALLOWED_EMAIL_DOMAINS: 'trondheim.kommune.no',
    OUTGOING_ALLOW_PRIVATE: new URL(issuer).hostname, ...extra,
  }
}
