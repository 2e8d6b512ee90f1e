// What a delivery says, and its body in each format: Teams (an Adaptive Card message, as Teams
// workflows and incoming webhooks take it), Slack (text with mrkdwn blocks) and generic JSON.
import type { Translate } from '../web/i18n/index.js'

export type WebhookFormat = 'teams' | 'slack' | 'json'
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['teams', 'slack', 'json']

/** The announcement, whatever the format. URLs are absolute. */
export interface Announcement {
  event: string
  id: number
  /** A line that says what happened: "Nytt innlegg på Betablogg". */
  heading: string
  title: string
  lead: string
  url: string
  author: { name: string; url?: string }
  tags: string[]
  at: string
}

const LEAD_MAX = 300

export function shorten(text: string, max = LEAD_MAX): string {
  const t = text.replace(/\s+/g, ' ').trim()
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`
}

export function formatBody(format: WebhookFormat, a: Announcement, t: Translate): string {
  if (format === 'teams') return JSON.stringify(teams(a, t))
  if (format === 'slack') return JSON.stringify(slack(a, t))
  return JSON.stringify({
    type: a.event, timestamp: a.at,
    data: { id: a.id, title: a.title, lead: a.lead, url: a.url, author: a.author, tags: a.tags },
  })
}

function teams(a: Announcement, t: Translate) {
  const byline = t('webhooks.message.by', { name: a.author.name })
  return {
    type: 'message',
    // Shown in notifications and by receivers that do not draw cards.
    summary: `${a.heading}: ${a.title}`,
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body: [
          { type: 'TextBlock', text: a.heading, isSubtle: true, spacing: 'None', wrap: true },
          { type: 'TextBlock', text: a.title, weight: 'Bolder', size: 'Medium', wrap: true },
          ...(a.lead ? [{ type: 'TextBlock', text: a.lead, wrap: true }] : []),
          { type: 'TextBlock', text: byline, isSubtle: true, wrap: true },
        ],
        actions: [{ type: 'Action.OpenUrl', title: t('webhooks.message.open'), url: a.url }],
      },
    }],
  }
}

/** Slack's mrkdwn needs only &, < and > escaped. */
function mrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function slack(a: Announcement, t: Translate) {
  const byline = t('webhooks.message.by', { name: a.author.name })
  return {
    text: `${a.heading}: ${a.title} ${a.url}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${mrkdwn(a.heading)}\n*<${a.url}|${mrkdwn(a.title)}>*${a.lead ? `\n${mrkdwn(a.lead)}` : ''}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(byline) }] },
    ],
  }
}
