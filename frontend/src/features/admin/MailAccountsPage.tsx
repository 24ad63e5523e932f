import { Anchor, Badge, Button, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { QueryTable } from '../../components/DataTable';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import { listMailAccounts, pollMailAccount, type MailAccount } from '../../services/mail';
import { useQueues } from '../tickets/reference';
import { MAIL_ACCOUNTS_KEY } from './keys';
import { AdminListHeader } from './parts';

/**
 * Administration → Mail accounts: the IMAP/POP3 mailboxes Vakt polls, with when each was
 * last polled, its last error and the next poll (refreshed every 15 s), and "Poll now".
 */
export function MailAccountsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const accounts = useQuery({ queryKey: MAIL_ACCOUNTS_KEY, queryFn: listMailAccounts, refetchInterval: 15_000 });
  const queues = useQueues();
  const poll = useMutation({
    mutationFn: pollMailAccount,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MAIL_ACCOUNTS_KEY }),
  });
  const queueName = (account: MailAccount) =>
    account.queue_id == null
      ? t('admin.mail.by_recipient')
      : (queues.data?.find((queue) => queue.id === account.queue_id)?.name ?? `#${account.queue_id}`);

  return (
    <Stack>
      <AdminListHeader
        title={t('admin.mail.accounts_title')}
        create={{ to: '/admin/mail-accounts/new', label: t('admin.mail.new_account') }}
        intro={t('admin.mail.accounts_intro')}
      />
      <ErrorAlert error={poll.error} />
      <QueryTable
        query={accounts}
        empty={t('admin.mail.no_accounts')}
        caption={t('admin.mail.accounts_title')}
        rowKey={(account) => account.id}
        minWidth={820}
        columns={[
          {
            key: 'name',
            header: t('admin.mail.name'),
            cell: (account) => (
              <>
                <Anchor component={Link} to={`/admin/mail-accounts/${account.id}`}>
                  {account.name}
                </Anchor>
                {!account.enabled && (
                  <Badge ml="xs" variant="light" color="gray" radius="sm">
                    {t('admin.mail.disabled')}
                  </Badge>
                )}
              </>
            ),
          },
          {
            key: 'server',
            header: t('admin.mail.server'),
            cell: (account) => (
              <>
                <Text size="sm">
                  {account.protocol.toUpperCase()} {account.host}:{account.port} ({account.tls})
                </Text>
                <Text size="xs" c="dimmed">
                  {account.username}
                  {account.protocol === 'imap' ? ` · ${account.folder}` : ''}
                </Text>
              </>
            ),
          },
          { key: 'queue', header: t('admin.mail.queue'), cell: (account) => queueName(account) },
          {
            key: 'last_poll',
            header: t('admin.mail.last_poll'),
            cell: (account) => (
              <>
                <Text size="sm">{account.last_poll_at ? format.relative(account.last_poll_at) : t('admin.mail.never')}</Text>
                {account.last_error && (
                  <Text size="xs" c="red.9" style={{ overflowWrap: 'anywhere' }}>
                    {account.last_error}
                  </Text>
                )}
              </>
            ),
          },
          {
            key: 'next_poll',
            header: t('admin.mail.next_poll'),
            cell: (account) => account.next_poll_at ? format.relative(account.next_poll_at) : '—',
          },
          {
            key: 'actions',
            header: t('common.actions'),
            hiddenHeader: true,
            cell: (account) => (
              <Button
                size="compact-sm"
                variant="default"
                loading={poll.isPending && poll.variables === account.id}
                onClick={() => poll.mutate(account.id)}
                aria-label={t('admin.mail.poll_named', { name: account.name })}
              >
                {t('admin.mail.poll')}
              </Button>
            ),
          },
        ]}
      />
    </Stack>
  );
}
