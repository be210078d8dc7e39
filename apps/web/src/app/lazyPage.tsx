import { Center, Loader } from '@mantine/core';
import { type ComponentType, lazy, Suspense } from 'react';

/**
 * A screen loaded on first visit, as its own chunk: the first load of any one page fetches the
 * shell and that page only (`/quotes` stays under its JavaScript budget; see
 * scripts/first-load.test.ts), and Vite no longer emits one oversized bundle.
 *
 * Each page brings its own Suspense boundary, so the shell and navigation stay on screen while the
 * page's chunk arrives. `pick` names the export, since our pages are named exports.
 */
export function lazyPage<Module, Name extends keyof Module>(
  load: () => Promise<Module>,
  pick: Name,
): ComponentType {
  const Page = lazy(async () => ({
    default: (await load())[pick] as ComponentType,
  }));
  return function LazyPage() {
    return (
      <Suspense fallback={<PageLoading />}>
        <Page />
      </Suspense>
    );
  };
}

function PageLoading() {
  return (
    <Center mih="40vh" aria-busy="true" aria-label="Loading the page">
      <Loader />
    </Center>
  );
}
