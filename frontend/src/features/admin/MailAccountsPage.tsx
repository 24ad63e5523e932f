import { Anchor, Badge, Button, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

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
      <ErrorAlert error={accounts.error ?? poll.error} />
      {accounts.isSuccess && accounts.data.length === 0 && <Text>{t('admin.mail.no_accounts')}</Text>}
      {(accounts.data?.length ?? 0) > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table striped verticalSpacing="xs">
            <VisuallyHidden component="caption">{t('admin.mail.accounts_title')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.mail.name')}</Table.Th>
                <Table.Th scope="col">{t('admin.mail.server')}</Table.Th>
                <Table.Th scope="col">{t('admin.mail.queue')}</Table.Th>
                <Table.Th scope="col">{t('admin.mail.last_poll')}</Table.Th>
                <Table.Th scope="col">{t('admin.mail.next_poll')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(accounts.data ?? []).map((account) => (
                <Table.Tr key={account.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/admin/mail-accounts/${account.id}`}>
                      {account.name}
                    </Anchor>
                    {!account.enabled && (
                      <Badge ml="xs" variant="light" color="gray" radius="sm">
                        {t('admin.mail.disabled')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {account.protocol.toUpperCase()} {account.host}:{account.port} ({account.tls})
                    </Text>
                    <Text size="xs" c="dimmed">
                      {account.username}
                      {account.protocol === 'imap' ? ` · ${account.folder}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>{queueName(account)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{account.last_poll_at ? format.relative(account.last_poll_at) : t('admin.mail.never')}</Text>
                    {account.last_error && (
                      <Text size="xs" c="red.9" style={{ overflowWrap: 'anywhere' }}>
                        {account.last_error}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{account.next_poll_at ? format.relative(account.next_poll_at) : '—'}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="default"
                      loading={poll.isPending && poll.variables === account.id}
                      onClick={() => poll.mutate(account.id)}
                      aria-label={t('admin.mail.poll_named', { name: account.name })}
                    >
                      {t('admin.mail.poll')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
