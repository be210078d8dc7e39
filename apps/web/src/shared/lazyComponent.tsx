import { type ComponentType, lazy, Suspense, useState } from 'react';

/**
 * A component whose code is fetched the first time it renders, as its own chunk: dialogs and
 * drawers that a screen shows only on demand (Mantine's Modal, Drawer, Select and their focus
 * trap, scroll lock and popover code), so a page's first load does not carry them (see
 * scripts/first-load.test.ts).
 *
 * It brings its own Suspense boundary with no fallback: while the chunk arrives nothing is shown
 * in its place, instead of the page around it being replaced by the page's loader.
 */
export function lazyComponent<Props extends object>(
  load: () => Promise<ComponentType<Props>>,
): ComponentType<Props> {
  const Component = lazy(async () => ({ default: await load() }));
  return function LazyComponent(props: Props) {
    return (
      <Suspense fallback={null}>
        <Component {...props} />
      </Suspense>
    );
  };
}

/**
 * True from the first render where `wanted` is true, and from then on: mount a lazy dialog when
 * it is first opened and keep it mounted, so its closing transition still plays and a second
 * opening needs no fetch.
 */
export function useWantedOnce(wanted: boolean): boolean {
  const [latched, setLatched] = useState(wanted);
  if (wanted && !latched) setLatched(true);
  return latched || wanted;
}
