import { Anchor, Button, Checkbox, Group, Paper, PasswordInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';

import { ApiError } from '../../api/problem';
import { ME_KEY, useUser } from '../../auth/context';
import { PageLoader } from '../../components/PageLoader';
import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { useFormat } from '../../i18n/useFormat';
import { NotFound } from '../../layout/NotFound';
import type { User } from '../../services/me';
import { createAgent, getAgent, updateAgent, type AgentChanges } from '../../services/users';
import { AGENTS_KEY } from './keys';

/** The fields the agent forms show; API errors of these go beside them. */
const FIELDS = ['name', 'email', 'password', 'is_admin', 'active'] as const;
/** Conflicts that belong to a field. */
const CODE_FIELDS = { email_taken: 'email' } as const;

/** Administration → Agents → New agent (`POST /api/v1/users`). */
export function NewAgentPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      createAgent({ name: name.trim(), email: email.trim(), password: password || null, is_admin: isAdmin }),
    onSuccess: async (agent) => {
      await queryClient.invalidateQueries({ queryKey: AGENTS_KEY });
      await navigate('/admin/agents', { state: { created: agent.name } });
    },
  });
  const failure = create.error ? mapError(create.error, { fields: FIELDS, codeFields: CODE_FIELDS }) : null;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <Stack maw={560}>
      <Anchor component={Link} to="/admin/agents" size="sm">
        {t('agents.back')}
      </Anchor>
      <PageTitle text={t('agents.new')} />
      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert message={failure?.message ?? null} />
            <TextInput label={t('agents.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
            <TextInput label={t('agents.email')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={failure?.fields.email} />
            <PasswordInput
              label={t('agents.password')}
              description={t('agents.password_hint_new')}
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={failure?.fields.password}
            />
            <Checkbox label={t('agents.is_admin')} checked={isAdmin} onChange={(e) => setIsAdmin(e.currentTarget.checked)} error={failure?.fields.is_admin} />
            <Button type="submit" loading={create.isPending} w="fit-content">
              {t('agents.create')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

/** Administration → Agents → an agent: load it, then edit it. */
export function EditAgentPage() {
  const { t } = useTranslation();
  const { id: rawId } = useParams();
  const id = Number(rawId);
  const valid = Number.isSafeInteger(id) && id > 0;
  const agent = useQuery({ queryKey: [...AGENTS_KEY, 'one', id], queryFn: () => getAgent(id), enabled: valid });
  if (!valid || (agent.error instanceof ApiError && agent.error.status === 404)) return <NotFound />;
  if (agent.error) return <ErrorAlert error={agent.error} />;
  if (!agent.data) return <PageLoader label={t('common.loading')} />;
  return <EditAgentForm key={agent.data.id} agent={agent.data} />;
}

/** Edits name, email, administrator, active and password (`PATCH /api/v1/users/{id}`); sends only what changed. */
function EditAgentForm({ agent }: { agent: User }) {
  const { t } = useTranslation();
  const me = useUser();
  const format = useFormat();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const [name, setName] = useState(agent.name);
  const [email, setEmail] = useState(agent.email);
  const [password, setPassword] = useState('');
  const [isAdmin, setIsAdmin] = useState(agent.is_admin);
  const [active, setActive] = useState(agent.active);
  const [saved, setSaved] = useState(false);

  const save = useMutation({
    mutationFn: (changes: AgentChanges) => updateAgent(agent.id, changes),
    onSuccess: async (updated) => {
      queryClient.setQueryData([...AGENTS_KEY, 'one', agent.id], updated);
      await queryClient.invalidateQueries({ queryKey: [...AGENTS_KEY, 'list'] });
      if (updated.id === me.id) await queryClient.invalidateQueries({ queryKey: ME_KEY });
      setPassword('');
      setSaved(true);
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS, codeFields: CODE_FIELDS }) : null;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSaved(false);
    const changes: AgentChanges = {};
    if (name.trim() !== agent.name) changes.name = name.trim();
    if (email.trim().toLowerCase() !== agent.email) changes.email = email.trim();
    if (password) changes.password = password;
    if (isAdmin !== agent.is_admin) changes.is_admin = isAdmin;
    if (active !== agent.active) changes.active = active;
    if (Object.keys(changes).length === 0) {
      setSaved(true);
      return;
    }
    save.mutate(changes);
  };

  return (
    <Stack maw={560}>
      <Anchor component={Link} to="/admin/agents" size="sm">
        {t('agents.back')}
      </Anchor>
      <PageTitle text={t('agents.edit', { name: agent.name })} />
      <Text size="sm" c="dimmed">
        {t('agents.meta', { created: format.dateTime(agent.created_at), updated: format.dateTime(agent.updated_at) })}
      </Text>
      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert message={failure?.message ?? null} />
            <TextInput label={t('agents.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
            <TextInput label={t('agents.email')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={failure?.fields.email} />
            <PasswordInput
              label={t('agents.new_password')}
              description={agent.has_password ? t('agents.password_hint_edit') : t('agents.password_hint_none')}
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={failure?.fields.password}
            />
            <Switch label={t('agents.is_admin')} checked={isAdmin} onChange={(e) => setIsAdmin(e.currentTarget.checked)} error={failure?.fields.is_admin} />
            <Switch
              label={t('agents.is_active')}
              description={t('agents.active_hint')}
              checked={active}
              onChange={(e) => setActive(e.currentTarget.checked)}
              error={failure?.fields.active}
            />
            <Group>
              <Button type="submit" loading={save.isPending}>
                {t('common.save')}
              </Button>
              <Text size="sm" role="status" c="teal.9">
                {saved && !save.isPending ? t('common.saved') : ''}
              </Text>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
