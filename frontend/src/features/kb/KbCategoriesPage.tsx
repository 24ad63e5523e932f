import { Button, Group, NumberInput, Paper, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { createKbCategory, deleteKbCategory, updateKbCategory, type KbCategory } from '../../services/kb';
import { listGroups } from '../../services/organisation';
import { EditableTable } from './EditableTable';
import { kbKeys } from './keys';
import { useCategoryOptions } from './useCategoryOptions';

const FIELDS = ['name', 'group_id', 'parent_id', 'description', 'position'] as const;

/**
 * Administration of the KB categories: a tree, each owned by a group (its rights are the article
 * rights). One form adds a category or, after "Edit" on a row, changes that one.
 */
export function KbCategoriesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { categories } = useCategoryOptions();
  const [editing, setEditing] = useState<KbCategory | null>(null);
  const remove = useMutation({
    mutationFn: deleteKbCategory,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: kbKeys.categories }),
  });
  return (
    <Stack maw={900}>
      <PageTitle text={t('kb.admin.categories')} />
      <CategoryForm key={editing?.id ?? 'new'} category={editing} onDone={() => setEditing(null)} />
      <ErrorAlert error={categories.error ?? remove.error} />
      <EditableTable
        rows={categories.data ?? []}
        columns={[
          { header: t('kb.admin.name'), cell: (c) => c.name, style: (c) => ({ paddingLeft: `${0.75 + c.depth * 1.25}rem` }) },
          { header: t('kb.admin.group'), cell: (c) => c.group?.name ?? '' },
        ]}
        onEdit={setEditing}
        onDelete={(c) => remove.mutate(c.id)}
      />
    </Stack>
  );
}

/** Adds a category, or changes `category` when given (its own subtree is not offered as parent). */
function CategoryForm({ category, onDone }: { category: KbCategory | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const { categories, options } = useCategoryOptions();
  const groups = useQuery({ queryKey: ['groups'], queryFn: listGroups });
  const [name, setName] = useState(category?.name ?? '');
  const [groupId, setGroupId] = useState<string | null>(category?.group ? String(category.group.id) : null);
  const [parentId, setParentId] = useState<string | null>(category?.parent_id ? String(category.parent_id) : null);
  const [description, setDescription] = useState(category?.description ?? '');
  const [position, setPosition] = useState<number | string>(category?.position ?? 0);
  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name: name.trim(),
        group_id: Number(groupId),
        parent_id: parentId ? Number(parentId) : null,
        description: description.trim() || null,
        position: Number(position) || 0,
      };
      return category ? updateKbCategory(category.id, fields) : createKbCategory(fields);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: kbKeys.categories });
      setName('');
      setDescription('');
      onDone();
    },
  });
  const failure = save.error ? mapError(save.error, { fields: FIELDS }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const inside = category ? subtreeOf(categories.data ?? [], category.id) : new Set<number>();
  const heading = category ? t('kb.admin.edit_category', { name: category.name }) : t('kb.admin.new_category');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="category-form">
      <Title order={2} size="h4" id="category-form" mb="xs">
        {heading}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={failure?.message ?? null} />
          <Group align="flex-start" grow>
            <TextInput label={t('kb.admin.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
            <Select
              label={t('kb.admin.group')}
              required
              data={(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
              value={groupId}
              onChange={setGroupId}
              error={failure?.fields.group_id}
            />
            <Select
              label={t('kb.admin.parent')}
              data={options.filter((o) => !inside.has(Number(o.value)))}
              value={parentId}
              onChange={setParentId}
              clearable
              error={failure?.fields.parent_id}
            />
            <NumberInput label={t('kb.admin.position')} value={position} onChange={setPosition} allowDecimal={false} error={failure?.fields.position} />
          </Group>
          <Textarea
            label={t('kb.admin.description')}
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={failure?.fields.description}
          />
          <Group>
            <Button type="submit" loading={save.isPending} disabled={!name.trim() || !groupId}>
              {category ? t('common.save') : t('kb.admin.add')}
            </Button>
            {category && (
              <Button variant="default" onClick={onDone}>
                {t('common.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The ids of a category and all below it (in tree order, those follow it with a greater depth). */
function subtreeOf(categories: readonly KbCategory[], id: number): Set<number> {
  const ids = new Set<number>();
  const start = categories.findIndex((c) => c.id === id);
  const root = categories[start];
  if (!root) return ids;
  ids.add(id);
  for (const c of categories.slice(start + 1)) {
    if (c.depth <= root.depth) break;
    ids.add(c.id);
  }
  return ids;
}
