import { Alert, Button, Paper, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { listCustomerQueues } from '../../services/reference';
import { referenceKeys } from '../tickets/keys';
import { useCreateTicket } from '../tickets/useCreateTicket';
import { AttachmentInput } from '../tickets/AttachmentInput';
import { appliesTo, type CustomFieldInputs } from '../../services/customFields';
import { fieldPointers, useCustomFields } from '../customFields/fields';
import { FieldsSection } from '../customFields/FieldsSection';
import { PortalSuggestions } from './PortalSuggestions';

const FIELDS = ['title', 'queue_id', 'article.body', 'attachments'] as const;

/**
 * A new ticket from the portal, in one of the queues open to customers
 * (`GET /api/v1/queues` as a customer lists exactly those). The customer is always the
 * ticket's customer; the server sets the channel to web.
 */
export function PortalNewTicketPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mapError = useErrorMapper();
  const queues = useQuery({ queryKey: referenceKeys.customerQueues, queryFn: listCustomerQueues, staleTime: 5 * 60_000 });
  const [queueId, setQueueId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  // The fields customers may fill in (the server refuses the others).
  const editable = (useCustomFields('ticket').data ?? []).filter((f) => f.customer_visibility === 'editable');
  const [fieldValues, setFieldValues] = useState<CustomFieldInputs>({});
  const chosen = queueId ?? (queues.data?.length === 1 ? String(queues.data[0]?.id) : null);

  const create = useCreateTicket((ticket) => navigate(`/portal/tickets/${ticket.number}`));
  const failure = create.error ? mapError(create.error, { fields: [...FIELDS, ...fieldPointers(editable)] }) : null;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const custom: CustomFieldInputs = {};
    for (const field of editable) {
      const value = fieldValues[field.key];
      if (value != null && appliesTo(field, Number(chosen), null)) custom[field.key] = value;
    }
    create.mutate({
      input: { title: title.trim(), queue_id: Number(chosen), article: { body: body.trim() }, ...(Object.keys(custom).length > 0 && { custom_fields: custom }) },
      files,
    });
  };

  return (
    <Stack maw={720}>
      <PageTitle text={t('portal.new.title')} />
      <ErrorAlert error={queues.error} />
      {queues.isSuccess && queues.data.length === 0 ? (
        <Alert color="gray">{t('portal.new.no_queues')}</Alert>
      ) : (
        <Paper withBorder p="md">
          <form onSubmit={submit} noValidate>
            <Stack>
              <ErrorAlert message={failure?.message ?? null} />
              <Select
                label={t('portal.new.topic')}
                description={t('portal.new.topic_hint')}
                required
                data={(queues.data ?? []).map((queue) => ({ value: String(queue.id), label: queue.name }))}
                value={chosen}
                onChange={setQueueId}
                allowDeselect={false}
                error={failure?.fields.queue_id}
              />
              <TextInput
                label={t('portal.new.subject')}
                required
                value={title}
                onChange={(event) => setTitle(event.currentTarget.value)}
                error={failure?.fields.title}
              />
              <Textarea
                label={t('portal.new.body')}
                description={t('portal.new.body_hint')}
                required
                autosize
                minRows={6}
                maxRows={20}
                value={body}
                onChange={(event) => setBody(event.currentTarget.value)}
                error={failure?.fields['article.body']}
              />
              <FieldsSection
                fields={editable}
                values={fieldValues}
                onChange={setFieldValues}
                errors={failure?.fields}
                queueId={chosen ? Number(chosen) : null}
                scoped
              />
              <PortalSuggestions text={`${title} ${body}`} submitted={create.isPending || create.isSuccess} />
              <AttachmentInput files={files} onChange={setFiles} error={failure?.fields.attachments} />
              <Button type="submit" color="teal.9" loading={create.isPending} w="fit-content" disabled={!chosen}>
                {t('portal.new.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
      )}
    </Stack>
  );
}
