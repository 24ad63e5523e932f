import { FileInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Props of {@link AttachmentInput}. */
export interface AttachmentInputProps {
  files: File[];
  onChange: (files: File[]) => void;
  error?: string | undefined;
}

/**
 * Picks files to attach (several at once). Its "Choose files" placeholder is real text on the
 * page, so it gets the dimmed colour that keeps the WCAG AA contrast, not Mantine's paler
 * placeholder grey (2.1:1).
 */
export function AttachmentInput({ files, onChange, error }: AttachmentInputProps) {
  const { t } = useTranslation();
  return (
    <FileInput
      label={t('composer.attachments')}
      placeholder={t('composer.attachments_placeholder')}
      multiple
      clearable
      value={files}
      onChange={onChange}
      error={error}
      styles={{ placeholder: { color: 'var(--mantine-color-dimmed)' } }}
    />
  );
}
