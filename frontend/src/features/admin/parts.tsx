import { Button, Group, Text } from '@mantine/core';
import { Link } from 'react-router';

import { PageTitle } from '../../components/PageTitle';

/** The head of an administration list: its title, the "New …" button and a line on what it is. */
export function AdminListHeader({ title, create, intro }: { title: string; create?: { to: string; label: string }; intro?: string }) {
  return (
    <>
      <Group justify="space-between" align="flex-start">
        <PageTitle text={title} />
        {create && (
          <Button component={Link} to={create.to}>
            {create.label}
          </Button>
        )}
      </Group>
      {intro && (
        <Text size="sm" c="dimmed">
          {intro}
        </Text>
      )}
    </>
  );
}
