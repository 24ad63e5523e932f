import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { Presence } from '../../live/presence';

/** "Kari is writing a reply" / "Kari is also looking at this ticket": before two agents answer at once. */
export function PresenceBanner({ others }: { others: readonly Presence[] }) {
  const { t } = useTranslation();
  if (others.length === 0) return null;
  const writing = others.filter((presence) => presence.composing).map((presence) => presence.name);
  const viewing = others.filter((presence) => !presence.composing).map((presence) => presence.name);
  return (
    <Alert color={writing.length > 0 ? 'grape' : 'blue'} variant="light" role="status" data-testid="presence">
      {writing.length > 0 && t('presence.writing', { names: writing.join(', '), count: writing.length })}
      {writing.length > 0 && viewing.length > 0 && ' '}
      {viewing.length > 0 && t('presence.viewing', { names: viewing.join(', '), count: viewing.length })}
    </Alert>
  );
}
