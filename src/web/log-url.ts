// URLs as they may be written to the log: invitation, password-reset and unsubscribe tokens (/invite/<token>) and personal feed keys
// (?key=…) are secrets that grant access, so they never reach the log in clear text.
const INVITE_PATH = /^(\/invite\/|\/password\/reset\/|\/unsubscribe\/)[^/?#]+/
const KEY_PARAM = /([?&]key=)[^&#]*/gi

export function redactUrl(url: string): string {
  return url.replace(INVITE_PATH, '$1[redacted]').replace(KEY_PARAM, '$1[redacted]')
}
