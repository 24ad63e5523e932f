import { Button, Group, Paper, Select, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { listKbArticles, type KbFilter } from '../../services/kb';
import { KbArticleList } from './KbArticleList';
import { kbKeys } from './keys';
import { useCategoryOptions } from './useCategoryOptions';

/** The agents' knowledge base: search (the ticket search's language), browse by category, write. */
export function KbPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const category = params.get('category');
  const [draft, setDraft] = useState(q);
  const { options } = useCategoryOptions();
  const filter: KbFilter = { ...(q ? { q } : {}), ...(category ? { category_id: Number(category) } : {}) };
  const articles = useQuery({ queryKey: kbKeys.list(filter), queryFn: () => listKbArticles(filter) });

  const update = (next: { q?: string; category?: string | null }) => {
    const values: Record<string, string> = {};
    const nq = next.q ?? q;
    const nc = next.category === undefined ? category : next.category;
    if (nq) values.q = nq;
    if (nc) values.category = nc;
    setParams(values);
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle text={t('kb.title')} />
        <Button component={Link} to="/agent/kb/new">
          {t('kb.new')}
        </Button>
      </Group>
      <Paper withBorder p="sm">
        <form
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            update({ q: draft.trim() });
          }}
        >
          <Group align="flex-end">
            <TextInput label={t('kb.search')} description={t('kb.search_hint')} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} style={{ flex: 1 }} />
            <Select
              label={t('kb.category')}
              data={options}
              value={category}
              onChange={(value) => update({ category: value })}
              clearable
              placeholder={t('kb.all_categories')}
            />
            <Button type="submit">{t('kb.search_submit')}</Button>
          </Group>
        </form>
      </Paper>
      <ErrorAlert error={articles.error} />
      <Paper withBorder p="md">
        <KbArticleList articles={articles.data ?? []} linkTo={(a) => `/agent/kb/${a.id}`} showStatus empty={t('kb.none')} />
      </Paper>
    </Stack>
  );
}
