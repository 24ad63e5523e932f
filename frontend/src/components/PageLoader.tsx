import { Center, Loader } from '@mantine/core';

/** A centred spinner while a language, a lazy screen or the user loads. */
export function PageLoader({ label = 'Loading' }: { label?: string }) {
  return (
    <Center h="50vh" role="status" aria-label={label}>
      <Loader />
    </Center>
  );
}
