import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { useUser } from '../../auth/context';
import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { getCustomer } from '../../services/customers';
import { type NewTicket } from '../../services/tickets';
import { referenceKeys } from './keys';
import { CustomerPicker, type PickedPerson } from './pickers';
import { useQueueOptions } from './queueOptions';
import { usePriorities, useQueues, useStates, useTicketTypes } from './reference';
import { useCreateTicket } from './useCreateTicket';
import { AttachmentInput } from './AttachmentInput';
import { fieldPointers, useCustomFields } from '../customFields/fields';
import { FieldsSection } from '../customFields/FieldsSection';
import { appliesTo, type CustomFieldInputs } from '../../services/customFields';

const FIELDS = [
  'title',
  'queue_id',
  'customer_id',
  'customer_email',
  'customer_name',
  'state_id',
  'priority_id',
  'type_id',
  'article.body',
  'article.time_accounted_minutes',
] as const;

/**
 * A new ticket taken on the phone or written by an agent (`POST /api/v1/tickets`): queue,
 * customer (searched in the directory, or a new one by email; `?customer_id=` preselects
 * one), title, what was said, files,
 * state, priority, type, and whether to own it. An idempotency key per attempt makes a
 * double submit or a retry after a lost answer create one ticket, not two.
 */
export function NewTicketPage() {
  const { t } = useTranslation();
  const me = useUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const [params] = useSearchParams();
  // Only queues where the agent may create tickets (`create`).
  const queueOptions = useQueueOptions('create');
  const queues = useQueues();
  const states = useStates();
  const priorities = usePriorities();
  const types = useTicketTypes();
  const [queueId, setQueueId] = useState<string | null>(params.get('queue_id'));
  const [customerMode, setCustomerMode] = useState<'existing' | 'email'>('existing');
  // `?customer_id=` (from a customer's page) preselects the customer.
  const presetId = Number(params.get('customer_id'));
  const preset = useQuery({
    queryKey: ['customers', 'one', presetId],
    queryFn: () => getCustomer(presetId),
    enabled: Number.isSafeInteger(presetId) && presetId > 0,
  });
  const [picked, setCustomer] = useState<PickedPerson | null | undefined>(undefined);
  const customer = picked === undefined ? (preset.data ?? null) : picked;
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [channel, setChannel] = useState<'phone' | 'email'>('phone');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [stateId, setStateId] = useState<string | null>(null);
  const [priorityId, setPriorityId] = useState<string | null>(null);
  const [typeId, setTypeId] = useState<string | null>(null);
  const [takeIt, setTakeIt] = useState(true);
  const [minutes, setMinutes] = useState<number | string>('');
  const ticketFields = useCustomFields('ticket');
  const [fieldValues, setFieldValues] = useState<CustomFieldInputs>({});
  const chosenQueue =
    (queueId !== null && queueOptions.some((option) => option.value === queueId) ? queueId : null) ??
    queueOptions[0]?.value ??
    null;

  const create = useCreateTicket(async (ticket) => {
    await queryClient.invalidateQueries({ queryKey: referenceKeys.queues });
    await navigate(`/agent/tickets/${ticket.number}`, { state: { created: true } });
  });
  /** The request as the form stands. */
  const ticketInput = (): NewTicket => {
    const input: NewTicket = {
      title: title.trim(),
      queue_id: Number(chosenQueue),
      article: {
        body: body.trim(),
        channel,
        ...(typeof minutes === 'number' && minutes > 0 && { time_accounted_minutes: minutes }),
      },
    };
    if (customerMode === 'existing' && customer) input.customer_id = customer.id;
    if (customerMode === 'email' && email.trim()) {
      input.customer_email = email.trim();
      if (name.trim()) input.customer_name = name.trim();
    }
    if (stateId) input.state_id = Number(stateId);
    if (priorityId) input.priority_id = Number(priorityId);
    if (typeId) input.type_id = Number(typeId);
    if (takeIt) input.owner_id = me.id;
    // Only the fields of the chosen queue and type, and only those given.
    const custom: CustomFieldInputs = {};
    for (const field of ticketFields.data ?? []) {
      const value = fieldValues[field.key];
      if (value !== undefined && value !== null && appliesTo(field, Number(chosenQueue), typeId ? Number(typeId) : null)) {
        custom[field.key] = value;
      }
    }
    if (Object.keys(custom).length > 0) input.custom_fields = custom;
    return input;
  };
  const failure = create.error ? mapError(create.error, { fields: [...FIELDS, ...fieldPointers(ticketFields.data)] }) : null;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    create.mutate({ input: ticketInput(), files });
  };

  return (
    <Stack maw={900}>
      <Anchor component={Link} to="/agent/tickets" size="sm">
        {t('tickets.back')}
      </Anchor>
      <PageTitle text={t('new_ticket.title')} />
      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert message={failure?.message ?? null} />
            {queues.isSuccess && queueOptions.length === 0 && (
              <Alert color="yellow" variant="light">
                {t('new_ticket.no_queue')}
              </Alert>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('ticket.queue')}
                required
                searchable
                data={queueOptions}
                value={chosenQueue}
                onChange={setQueueId}
                allowDeselect={false}
                error={failure?.fields.queue_id}
              />
              <SegmentedControl
                aria-label={t('new_ticket.channel')}
                value={channel}
                onChange={(value) => setChannel(value)}
                data={[
                  { value: 'phone', label: t('new_ticket.channel_phone') },
                  { value: 'email', label: t('new_ticket.channel_email') },
                ]}
                style={{ alignSelf: 'end' }}
              />
            </SimpleGrid>
            <SegmentedControl
              aria-label={t('new_ticket.customer_mode')}
              value={customerMode}
              onChange={(value) => setCustomerMode(value)}
              data={[
                { value: 'existing', label: t('new_ticket.existing_customer') },
                { value: 'email', label: t('new_ticket.new_customer') },
              ]}
              w="fit-content"
            />
            {customerMode === 'existing' ? (
              <CustomerPicker
                label={t('ticket.customer')}
                description={t('new_ticket.customer_hint')}
                placeholder={t('new_ticket.customer_placeholder')}
                value={customer}
                onChange={setCustomer}
                error={failure?.fields.customer_id}
              />
            ) : (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label={t('new_ticket.customer_email')}
                  description={t('new_ticket.customer_email_hint')}
                  type="email"
                  required
                  value={email}
                  onChange={(event) => setEmail(event.currentTarget.value)}
                  error={failure?.fields.customer_email}
                />
                <TextInput
                  label={t('new_ticket.customer_name')}
                  value={name}
                  onChange={(event) => setName(event.currentTarget.value)}
                  error={failure?.fields.customer_name}
                />
              </SimpleGrid>
            )}
            <TextInput
              label={t('ticket.title')}
              required
              value={title}
              onChange={(event) => setTitle(event.currentTarget.value)}
              error={failure?.fields.title}
            />
            <Textarea
              label={channel === 'phone' ? t('new_ticket.body_phone') : t('new_ticket.body_email')}
              required
              autosize
              minRows={6}
              maxRows={20}
              value={body}
              onChange={(event) => setBody(event.currentTarget.value)}
              error={failure?.fields['article.body']}
            />
            <AttachmentInput files={files} onChange={setFiles} />
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
              <Select
                label={t('ticket.state')}
                placeholder={t('new_ticket.default')}
                clearable
                data={(states.data ?? [])
                  .filter((s) => s.active && (s.state_type === 'new' || s.state_type === 'open' || s.state_type === 'closed'))
                  .map((s) => ({ value: String(s.id), label: s.name }))}
                value={stateId}
                onChange={setStateId}
                error={failure?.fields.state_id}
              />
              <Select
                label={t('ticket.priority')}
                placeholder={t('new_ticket.queue_default')}
                clearable
                data={(priorities.data ?? []).filter((p) => p.active).map((p) => ({ value: String(p.id), label: p.name }))}
                value={priorityId}
                onChange={setPriorityId}
                error={failure?.fields.priority_id}
              />
              <Select
                label={t('ticket.type')}
                placeholder={t('ticket.no_type')}
                clearable
                data={(types.data ?? []).filter((type) => type.active).map((type) => ({ value: String(type.id), label: type.name }))}
                value={typeId}
                onChange={setTypeId}
                error={failure?.fields.type_id}
              />
              <NumberInput
                label={t('composer.time')}
                min={0}
                allowDecimal={false}
                value={minutes}
                onChange={setMinutes}
                error={failure?.fields['article.time_accounted_minutes']}
              />
            </SimpleGrid>
            <FieldsSection
              fields={ticketFields.data ?? []}
              values={fieldValues}
              onChange={setFieldValues}
              errors={failure?.fields}
              queueId={chosenQueue ? Number(chosenQueue) : null}
              typeId={typeId ? Number(typeId) : null}
              scoped
            />
            <Checkbox label={t('new_ticket.take_it')} checked={takeIt} onChange={(event) => setTakeIt(event.currentTarget.checked)} />
            <Button type="submit" loading={create.isPending} w="fit-content" disabled={!chosenQueue}>
              {t('new_ticket.create')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
