import { Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { recordKbDeflection, suggestKbArticles } from '../../services/kb';
import { kbKeys } from '../kb/keys';

/**
 * Articles matching what the customer is writing (after a pause in typing). When the customer
 * opened one and leaves the page without sending the ticket, that is recorded as a deflection.
 */
export function PortalSuggestions({ text, submitted }: { text: string; submitted: boolean }) {
  const { t } = useTranslation();
  const [settled, setSettled] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text.trim()), 400);
    return () => clearTimeout(timer);
  }, [text]);
  const suggestions = useQuery({
    queryKey: kbKeys.suggestions(settled),
    queryFn: () => suggestKbArticles(settled, 5),
    enabled: settled.length >= 4,
  });
  const opened = useRef<number | null>(null);
  const sent = useRef(submitted);
  useEffect(() => {
    sent.current = submitted;
  }, [submitted]);
  useEffect(
    () => () => {
      if (opened.current !== null && !sent.current) void recordKbDeflection(opened.current).catch(() => undefined);
    },
    [],
  );
  const items = suggestions.data ?? [];
  if (items.length === 0) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="kb-suggestions">
      <Title order={2} size="h5" id="kb-suggestions" mb="xs">
        {t('kb.portal_suggestions')}
      </Title>
      <Stack gap={4} component="ul" style={{ margin: 0, paddingLeft: '1.2rem' }}>
        {items.map((article) => (
          <li key={article.id}>
            <Anchor
              href={`/portal/kb/${article.id}`}
              target="_blank"
              rel="noopener"
              onClick={() => {
                opened.current = article.id;
              }}
            >
              {article.title}
            </Anchor>
          </li>
        ))}
      </Stack>
      <Text size="sm" c="dimmed" mt="xs">
        {t('kb.portal_suggestions_hint')}
      </Text>
    </Paper>
  );
}
