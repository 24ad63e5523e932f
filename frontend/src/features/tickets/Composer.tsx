import {
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../api/problem';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { useFormat } from '../../i18n/useFormat';
import { zonedToUtc } from '../../i18n/zoned';
import { createArticle, isPendingType, type CreatedArticle, type NewArticle, type Ticket } from '../../services/tickets';
import { ConflictAlert } from './ConflictAlert';
import { useStates } from './reference';
import { AttachmentInput } from './AttachmentInput';
import { ComposerTools } from '../kb/ComposerTools';

/** Props of {@link Composer}. */
export interface ComposerProps {
  /** The ticket key in the address (id or number). */
  ticketKey: string;
  ticket: Ticket;
  /** The ETag the page shows; `null` sends unconditionally (customers). */
  etag: string | null;
  /** Agents choose reply or note, time and next state; customers only reply. */
  audience: 'agent' | 'customer';
  /** For agents: what their rights allow (`rw` replies, `note` notes); both when left out. */
  allowed?: { reply: boolean; note: boolean };
  /** After the article was added. */
  onSent: (created: CreatedArticle) => void;
  /** The ticket changed since it was read (412): the page offers a reload. */
  onConflict: () => void;
  /** Reloads the ticket (from the conflict message). */
  onReload: () => void;
  /** Whether the page knows of a conflict. */
  conflict: boolean;
  /** Told whether there is text in the draft (the page announces "writing a reply"). */
  onDraftChange?: (hasText: boolean) => void;
}

const FIELDS = ['body', 'to', 'cc', 'subject', 'time_accounted_minutes', 'state_id', 'pending_until', 'attachments'] as const;

/**
 * Writes a reply (emailed to the customer) or an internal note, with attachments, time worked
 * and optionally the next state. Agents are offered the kinds their rights allow; with
 * neither, the page says the ticket is read-only for them. On 412 the draft stays: the user
 * reloads, reads what changed, and sends again.
 */
export function Composer(props: ComposerProps) {
  const { t } = useTranslation();
  const kinds = allowedKinds(props);
  if (kinds.length === 0) {
    return (
      <Paper withBorder p="md" component="section" aria-labelledby="composer-title">
        <Title order={2} size="h4" id="composer-title" mb="xs">
          {t('composer.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('composer.read_only')}
        </Text>
      </Paper>
    );
  }
  return <ComposerForm {...props} kinds={kinds} />;
}

/** The article kinds the writer may send: customers reply; agents what their rights allow (note first). */
function allowedKinds({ audience, allowed }: ComposerProps): ('reply' | 'note')[] {
  if (audience === 'customer') return ['reply'];
  const kinds: ('reply' | 'note')[] = [];
  if (allowed?.note ?? true) kinds.push('note');
  if (allowed?.reply ?? true) kinds.push('reply');
  return kinds;
}

function ComposerForm({
  ticketKey,
  ticket,
  etag,
  audience,
  kinds,
  onSent,
  onConflict,
  onReload,
  conflict,
  onDraftChange,
}: ComposerProps & { kinds: ('reply' | 'note')[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const mapError = useErrorMapper();
  const states = useStates();
  const agent = audience === 'agent';
  // A note is the default (nothing reaches a customer by accident), when the agent may write one.
  const [chosenKind, setKind] = useState<'reply' | 'note'>(kinds[0] ?? 'reply');
  const kind = kinds.includes(chosenKind) ? chosenKind : (kinds[0] ?? 'reply');
  const [body, setBody] = useState('');
  const [to, setTo] = useState<string | null>(null);
  const [cc, setCc] = useState('');
  const [subject, setSubject] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [minutes, setMinutes] = useState<number | string>('');
  const [stateId, setStateId] = useState<string | null>(null);
  const [pendingUntil, setPendingUntil] = useState('');
  const [sent, setSent] = useState(false);
  const [picking, setPicking] = useState(false);
  const insert = (text: string) => {
    const next = body.trim() ? `${body.replace(/\s+$/, '')}\n\n${text}` : text;
    setBody(next);
    onDraftChange?.(next.trim() !== '');
  };
  const nextState = states.data?.find((state) => String(state.id) === stateId);
  const needsPending = nextState !== undefined && isPendingType(nextState.state_type);
  const customerEmail = ticket.customer?.email ?? '';

  const send = useMutation({
    mutationFn: () => {
      const input: NewArticle = { kind, body: body.trim() };
      if (agent) {
        if (kind === 'reply') {
          const recipient = (to ?? customerEmail).trim();
          if (recipient) input.to = recipient;
          if (cc.trim()) input.cc = cc.trim();
        }
        if (subject.trim()) input.subject = subject.trim();
        if (typeof minutes === 'number' && minutes > 0) input.time_accounted_minutes = minutes;
        if (stateId) input.state_id = Number(stateId);
        if (needsPending && pendingUntil) input.pending_until = zonedToUtc(pendingUntil, format.timeZone);
      }
      return createArticle(ticketKey, input, files, etag);
    },
    onSuccess: (created) => {
      setBody('');
      onDraftChange?.(false);
      setTo(null);
      setCc('');
      setSubject('');
      setFiles([]);
      setMinutes('');
      setStateId(null);
      setPendingUntil('');
      setSent(true);
      onSent(created);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 412) onConflict();
    },
  });
  const isConflict = send.error instanceof ApiError && send.error.status === 412;
  const failure = send.error && !isConflict ? mapError(send.error, { fields: FIELDS }) : null;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSent(false);
    send.mutate();
  };

  const title = agent ? t('composer.title') : t('composer.title_customer');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="composer-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="composer-title">
            {title}
          </Title>
          {agent && kinds.length > 1 && (
            <SegmentedControl
              aria-label={t('composer.kind')}
              value={kind}
              onChange={(value) => setKind(value)}
              data={[
                { value: 'reply', label: t('composer.reply') },
                { value: 'note', label: t('composer.note') },
              ]}
              w="fit-content"
            />
          )}
          {agent && (
            <Text size="sm" c="dimmed">
              {kind === 'reply' ? t('composer.reply_hint') : t('composer.note_hint')}
            </Text>
          )}
          {conflict && body.trim() !== '' && <ConflictAlert onReload={onReload} keepsDraft />}
          <ErrorAlert message={failure?.message ?? null} />
          {agent && kind === 'reply' && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('article.to')}
                value={to ?? customerEmail}
                onChange={(event) => setTo(event.currentTarget.value)}
                error={failure?.fields.to}
                required
              />
              <TextInput label={t('article.cc')} value={cc} onChange={(event) => setCc(event.currentTarget.value)} error={failure?.fields.cc} />
            </SimpleGrid>
          )}
          {agent && (
            <TextInput
              label={t('article.subject')}
              placeholder={t('composer.subject_default', { title: ticket.title })}
              value={subject}
              onChange={(event) => setSubject(event.currentTarget.value)}
              error={failure?.fields.subject}
            />
          )}
          <Textarea
            label={agent && kind === 'note' ? t('composer.note_text') : t('composer.message')}
            required
            autosize
            minRows={5}
            maxRows={20}
            value={body}
            description={agent ? t('kb.insert_hint') : undefined}
            onChange={(event) => {
              let value = event.currentTarget.value;
              // `::` opens the text-module and KB search (agents).
              if (agent && value.endsWith('::')) {
                value = value.slice(0, -2);
                setPicking(true);
              }
              setBody(value);
              onDraftChange?.(value.trim() !== '');
            }}
            error={failure?.fields.body}
          />
          {agent && (
            <ComposerTools
              ticketKey={ticketKey}
              queueId={ticket.queue.id}
              title={ticket.title}
              open={picking}
              onOpenChange={setPicking}
              onInsert={insert}
              onAttach={(more) => setFiles((previous) => [...previous, ...more])}
            />
          )}
          <AttachmentInput files={files} onChange={setFiles} error={failure?.fields.attachments} />
          {agent && (
            <SimpleGrid cols={{ base: 1, sm: needsPending ? 3 : 2 }}>
              <NumberInput
                label={t('composer.time')}
                description={t('composer.time_hint')}
                min={0}
                max={100_000}
                allowDecimal={false}
                value={minutes}
                onChange={setMinutes}
                error={failure?.fields.time_accounted_minutes}
              />
              <Select
                label={t('composer.next_state')}
                placeholder={t('composer.state_unchanged', { state: ticket.state.name })}
                clearable
                data={(states.data ?? []).filter((state) => state.active).map((state) => ({ value: String(state.id), label: state.name }))}
                value={stateId}
                onChange={setStateId}
                error={failure?.fields.state_id}
              />
              {needsPending && (
                <TextInput
                  type="datetime-local"
                  label={t('ticket.pending_until')}
                  required
                  value={pendingUntil}
                  onChange={(event) => setPendingUntil(event.currentTarget.value)}
                  error={failure?.fields.pending_until}
                />
              )}
            </SimpleGrid>
          )}
          <Group>
            <Button type="submit" loading={send.isPending} disabled={!body.trim()}>
              {agent && kind === 'note' ? t('composer.send_note') : t('composer.send_reply')}
            </Button>
            <Text size="sm" role="status" c="teal.9">
              {sent && !send.isPending ? t('composer.sent') : ''}
            </Text>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
