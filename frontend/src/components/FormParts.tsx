import { Anchor, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ErrorAlert } from '../errors/ErrorAlert';
import { PageTitle } from './PageTitle';

/** A form page: the link back to its list, the title, the form. */
export function FormPage({ back, title, maw = 640, children }: { back: { to: string; label: string }; title: string; maw?: number; children: ReactNode }) {
  return (
    <Stack maw={maw}>
      <Anchor component={Link} to={back.to} size="sm">
        {back.label}
      </Anchor>
      <PageTitle text={title} />
      {children}
    </Stack>
  );
}

/** A titled part of a page (`section` named by its `h2`), framed. */
export function Section({ id, title, maw, children }: { id: string; title: string; maw?: number; children: ReactNode }) {
  return (
    <Paper withBorder p="md" maw={maw} component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** Props of {@link FormFooter}. */
export interface FormFooterProps {
  submitLabel: string;
  saving: boolean;
  disabled?: boolean;
  /** The "saved" message (announced: `role="status"`); empty when there is nothing to say. */
  status: string;
  /** Offers "Delete" (the caller asks first, see {@link ConfirmDelete}). */
  onDelete?: () => void;
}

/** A form's last row: submit, the "saved" status beside it, and "Delete" on the right for existing entries. */
export function FormFooter({ submitLabel, saving, disabled, status, onDelete }: FormFooterProps) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between">
      <Group>
        <Button type="submit" loading={saving} disabled={disabled}>
          {submitLabel}
        </Button>
        <Text size="sm" role="status" c="teal.9">
          {status}
        </Text>
      </Group>
      {onDelete && (
        <Button variant="default" onClick={onDelete}>
          {t('saved.delete')}
        </Button>
      )}
    </Group>
  );
}

/** Props of {@link ConfirmDelete}. */
export interface ConfirmDeleteProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** What deleting means, when it needs saying. */
  body?: string;
  error: unknown;
  pending: boolean;
  onConfirm: () => void;
}

/** "Delete …?" with Cancel and Delete, and the error of a refused delete. */
export function ConfirmDelete({ opened, onClose, title, body, error, pending, onConfirm }: ConfirmDeleteProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack>
        {body && <Text size="sm">{body}</Text>}
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red.8" loading={pending} onClick={onConfirm}>
            {t('saved.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
