import { Title } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';

import { branding } from '../app/branding';

/** The page's heading (h1), also set as the document title. */
export function PageTitle({ children, text }: { children?: ReactNode; text: string }) {
  useEffect(() => {
    document.title = `${text} · ${branding.productName}`;
  }, [text]);
  return <Title order={1} size="h2" mb="md">{children ?? text}</Title>;
}
