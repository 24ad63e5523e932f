import { Button, Code, Group, Modal, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import { listMyTokens, revokeMyToken, type ApiToken } from '../../services/tokens';
import { TOKENS_KEY } from './keys';

/** My active tokens, each with a revoke button that asks first (`DELETE /api/v1/me/tokens/{id}`). */
export function TokenList() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: listMyTokens });
  const [confirming, setConfirming] = useState<ApiToken | null>(null);
  const revoke = useMutation({
    mutationFn: (id: number) => revokeMyToken(id),
    onSuccess: async () => {
      setConfirming(null);
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="token-list">
      <Title order={2} size="h4" id="token-list" mb="sm">
        {t('tokens.list.title')}
      </Title>
      <ErrorAlert error={tokens.error ?? revoke.error} />
      {tokens.data?.length === 0 && <Text>{t('tokens.list.empty')}</Text>}
      {tokens.data && tokens.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('tokens.name')}</Table.Th>
                <Table.Th scope="col">{t('tokens.prefix')}</Table.Th>
                <Table.Th scope="col">{t('tokens.scope')}</Table.Th>
                <Table.Th scope="col">{t('tokens.created_at')}</Table.Th>
                <Table.Th scope="col">{t('tokens.expires')}</Table.Th>
                <Table.Th scope="col">{t('tokens.last_used')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((token) => (
                <Table.Tr key={token.id}>
                  <Table.Td>{token.name}</Table.Td>
                  <Table.Td>
                    <Code>{token.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>{t(`tokens.scope.${token.scope}`)}</Table.Td>
                  <Table.Td>{format.dateTime(token.created_at)}</Table.Td>
                  <Table.Td>{token.expires_at ? format.dateTime(token.expires_at) : t('tokens.expiry.never')}</Table.Td>
                  <Table.Td>{token.last_used_at ? format.relative(token.last_used_at) : t('tokens.never_used')}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      color="red.9"
                      variant="outline"
                      onClick={() => setConfirming(token)}
                      aria-label={t('tokens.revoke.label', { name: token.name })}
                    >
                      {t('tokens.revoke.button')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title={t('tokens.revoke.confirm_title')}
        centered
      >
        <Stack>
          <Text>{t('tokens.revoke.confirm_body', { name: confirming?.name ?? '' })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red.9"
              loading={revoke.isPending}
              onClick={() => {
                if (confirming) revoke.mutate(confirming.id);
              }}
            >
              {t('tokens.revoke.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
