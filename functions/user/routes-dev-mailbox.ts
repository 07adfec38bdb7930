/**
 * `GET /auth/dev/mailbox?to=`: the messages the user function asked the notification function to
 * send, kept in embedded dev where nothing sends email or SMS (404 unless USERS_DEV_MAILBOX=on).
 */
import { NotFoundError, ValidationError } from '../shared/errors';
import { route, type Route } from '../shared/http';
import { parseIdentifier } from './identifiers';
import type { MailboxReader } from './ports';

/** The dev mailbox route; `mailbox` is absent when the mailbox is off. */
export function devMailboxRoutes(deps: { mailbox?: MailboxReader }): Route[] {
  return [
    route({
      method: 'GET',
      path: '/auth/dev/mailbox',
      async handle(req) {
        if (!deps.mailbox)
          throw new NotFoundError('The dev mailbox is off (USERS_DEV_MAILBOX=on turns it on)');
        const to = String((req.query as Record<string, string>).to ?? '');
        const who = parseIdentifier(to);
        if (!who)
          throw new ValidationError('Name the recipient', [
            { field: '/to', code: 'identifier', message: 'An email address or a +84 mobile number' },
          ]);
        return { status: 200, body: { to: who.value, messages: deps.mailbox.list(who.value) } };
      },
    }),
  ];
}
