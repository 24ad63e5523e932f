import {
  NumberInput,
  Paper,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { ConfirmDelete, FormFooter, FormPage } from '../../components/FormParts';
import { LoadById } from '../../components/LoadById';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import {
  createMailAccount,
  deleteMailAccount,
  getMailAccount,
  updateMailAccount,
  type MailAccount,
  type MailAccountInput,
} from '../../services/mail';
import { useQueueOptions } from '../tickets/queueOptions';
import { MAIL_ACCOUNTS_KEY } from './keys';

const FIELDS = ['name', 'protocol', 'host', 'port', 'tls', 'username', 'password', 'folder', 'queue_id', 'poll_interval_seconds'] as const;

/**
 * The mail account form. The password is write-only: required for a new account, and on an
 * existing one left empty to keep the stored password (the API never sends it back).
 */
function MailAccountForm({ account }: { account: MailAccount | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const queueOptions = useQueueOptions();
  const [name, setName] = useState(account?.name ?? '');
  const [protocol, setProtocol] = useState(account?.protocol ?? 'imap');
  const [host, setHost] = useState(account?.host ?? '');
  const [port, setPort] = useState<number | string>(account?.port ?? '');
  const [tls, setTls] = useState<string | null>(account?.tls ?? 'tls');
  const [username, setUsername] = useState(account?.username ?? '');
  const [password, setPassword] = useState('');
  const [folder, setFolder] = useState(account?.folder ?? 'INBOX');
  const [queueId, setQueueId] = useState<string | null>(account?.queue_id != null ? String(account.queue_id) : null);
  const [interval, setPollInterval] = useState<number | string>(account?.poll_interval_seconds ?? 60);
  const [enabled, setEnabled] = useState(account?.enabled ?? true);
  const [insecure, setInsecure] = useState(account?.accept_invalid_certs ?? false);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const save = useMutation({
    mutationFn: () => {
      const input: MailAccountInput = {
        name: name.trim(),
        protocol,
        host: host.trim(),
        username: username.trim(),
        port: typeof port === 'number' ? port : null,
        tls,
        folder: protocol === 'imap' ? folder.trim() || 'INBOX' : null,
        queue_id: queueId ? Number(queueId) : null,
        poll_interval_seconds: typeof interval === 'number' ? interval : null,
        enabled,
        accept_invalid_certs: insecure,
      };
      if (password) input.password = password;
      return account ? updateMailAccount(account.id, input) : createMailAccount(input);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: MAIL_ACCOUNTS_KEY });
      setPassword('');
      if (account) setSaved(true);
      else await navigate('/admin/mail-accounts');
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteMailAccount(account?.id ?? 0),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: MAIL_ACCOUNTS_KEY });
      await navigate('/admin/mail-accounts');
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS, codeFields: { name_taken: 'name' } }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert message={failure?.message ?? null} />
          <TextInput label={t('admin.mail.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
          <SegmentedControl
            aria-label={t('admin.mail.protocol')}
            value={protocol}
            onChange={setProtocol}
            data={[
              { value: 'imap', label: 'IMAP' },
              { value: 'pop3', label: 'POP3' },
            ]}
            w="fit-content"
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label={t('admin.mail.host')} required value={host} onChange={(e) => setHost(e.currentTarget.value)} error={failure?.fields.host} />
            <NumberInput
              label={t('admin.mail.port')}
              description={t('admin.mail.port_hint')}
              min={1}
              max={65535}
              allowDecimal={false}
              value={port}
              onChange={setPort}
              error={failure?.fields.port}
            />
            <Select
              label={t('admin.mail.tls')}
              data={[
                { value: 'tls', label: t('admin.mail.tls_tls') },
                { value: 'starttls', label: t('admin.mail.tls_starttls') },
                { value: 'none', label: t('admin.mail.tls_none') },
              ]}
              value={tls}
              onChange={setTls}
              allowDeselect={false}
              error={failure?.fields.tls}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('admin.mail.username')} required value={username} onChange={(e) => setUsername(e.currentTarget.value)} error={failure?.fields.username} />
            <PasswordInput
              label={t('admin.mail.password')}
              description={account ? t('admin.mail.password_keep') : undefined}
              required={!account}
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={failure?.fields.password}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {protocol === 'imap' && (
              <TextInput label={t('admin.mail.folder')} value={folder} onChange={(e) => setFolder(e.currentTarget.value)} error={failure?.fields.folder} />
            )}
            <Select
              label={t('admin.mail.queue')}
              placeholder={t('admin.mail.by_recipient')}
              clearable
              searchable
              data={queueOptions}
              value={queueId}
              onChange={setQueueId}
              error={failure?.fields.queue_id}
            />
            <NumberInput
              label={t('admin.mail.interval')}
              min={10}
              max={86_400}
              allowDecimal={false}
              value={interval}
              onChange={setPollInterval}
              error={failure?.fields.poll_interval_seconds}
            />
          </SimpleGrid>
          <Switch label={t('admin.mail.enabled')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          <Switch
            label={t('admin.mail.insecure')}
            description={t('admin.mail.insecure_hint')}
            checked={insecure}
            onChange={(e) => setInsecure(e.currentTarget.checked)}
          />
          <FormFooter
            submitLabel={account ? t('common.save') : t('admin.mail.create_account')}
            saving={save.isPending}
            status={saved ? t('admin.mail.saved_polling') : ''}
            {...(account && { onDelete: () => setConfirmDelete(true) })}
          />
        </Stack>
      </form>
      <ConfirmDelete
        opened={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={t('admin.mail.delete_title', { name: account?.name ?? '' })}
        body={t('admin.mail.delete_body')}
        error={remove.error}
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
      />
    </Paper>
  );
}

/** Administration → Mail accounts → New account (`POST /api/v1/mail-accounts`). */
export function NewMailAccountPage() {
  const { t } = useTranslation();
  return (
    <FormPage back={{ to: '/admin/mail-accounts', label: t('admin.mail.back_accounts') }} title={t('admin.mail.new_account')} maw={760}>
      <MailAccountForm account={null} />
    </FormPage>
  );
}

/** Administration → Mail accounts → an account (`PUT`/`DELETE /api/v1/mail-accounts/{id}`). */
export function EditMailAccountPage() {
  const { t } = useTranslation();
  return (
    <LoadById queryKey={(id) => [...MAIL_ACCOUNTS_KEY, id]} load={getMailAccount}>
      {(account) => (
        <FormPage
          back={{ to: '/admin/mail-accounts', label: t('admin.mail.back_accounts') }}
          title={t('admin.mail.edit_account', { name: account.name })}
          maw={760}
        >
          <MailAccountForm key={account.id} account={account} />
        </FormPage>
      )}
    </LoadById>
  );
}
