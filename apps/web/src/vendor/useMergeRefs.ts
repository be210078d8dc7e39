/**
 * `useMergeRefs` of @floating-ui/react 0.27 (MIT, © Floating UI contributors), copied unchanged
 * in behaviour, for Mantine's ScrollArea only: the Vite build points ScrollArea's import of
 * '@floating-ui/react' here (see vite.config.ts). ScrollArea needs nothing else from Floating UI,
 * but Floating UI is one module, so importing this hook put all of its positioning code (~11 kB
 * gzip, used by popovers and selects that load on demand) in the first load of every page.
 */
import { type Ref, type RefCallback, useCallback, useMemo, useRef } from 'react';

type Cleanup = () => void;

export function useMergeRefs<Instance>(
  refs: Array<Ref<Instance> | undefined>,
): RefCallback<Instance> | null {
  const cleanupRef = useRef<Cleanup | undefined>(undefined);
  const refEffect = useCallback((instance: Instance): Cleanup => {
    const cleanups = refs.map((ref) => {
      if (ref === null || ref === undefined) return undefined;
      if (typeof ref === 'function') {
        const refCleanup = ref(instance);
        return typeof refCleanup === 'function' ? refCleanup : () => void ref(null);
      }
      ref.current = instance;
      return () => {
        ref.current = null;
      };
    });
    return () => cleanups.forEach((cleanup) => cleanup?.());
    // The refs themselves are the dependencies, as in Floating UI.
  }, refs);
  return useMemo(() => {
    if (refs.every((ref) => ref === null || ref === undefined)) return null;
    return (value: Instance | null) => {
      if (cleanupRef.current) {
        cleanupRef.current();
        cleanupRef.current = undefined;
      }
      if (value !== null && value !== undefined) cleanupRef.current = refEffect(value);
    };
  }, refs);
}
