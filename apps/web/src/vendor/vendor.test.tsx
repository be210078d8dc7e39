import { render } from '@testing-library/react';
import { createRequire } from 'node:module';
import { createRef } from 'react';
import { RemoveScroll } from './removeScrollClassNames';
import { useMergeRefs } from './useMergeRefs';

// The libraries the build replaces for a few Mantine modules (vite.plugins.ts), resolved from
// where Mantine resolves them.
const fromMantine = createRequire(require.resolve('@mantine/core'));

describe('vendor copies used by the build', () => {
  it('names the same classes as react-remove-scroll', () => {
    const library = fromMantine('react-remove-scroll') as { RemoveScroll: typeof RemoveScroll };
    expect(RemoveScroll.classNames).toEqual(library.RemoveScroll.classNames);
  });

  it('merges object and callback refs as Floating UI does, cleanups included', () => {
    const library = fromMantine('@floating-ui/react') as { useMergeRefs: typeof useMergeRefs };
    for (const merge of [useMergeRefs, library.useMergeRefs]) {
      const object = createRef<HTMLDivElement>();
      const seen: Array<HTMLDivElement | null> = [];
      const cleanups: string[] = [];
      const callback = (node: HTMLDivElement | null) => void seen.push(node);
      const withCleanup = (node: HTMLDivElement | null) => {
        seen.push(node);
        return () => void cleanups.push('cleaned');
      };
      function Probe() {
        return <div data-testid="probe" ref={merge([object, callback, withCleanup, undefined])} />;
      }
      const { getByTestId, unmount } = render(<Probe />);
      const node = getByTestId('probe');
      expect(object.current).toBe(node);
      expect(seen).toEqual([node, node]);
      unmount();
      expect(object.current).toBeNull();
      // The plain callback is called with null; the one with a cleanup gets its cleanup instead.
      expect(seen).toEqual([node, node, null]);
      expect(cleanups).toEqual(['cleaned']);
    }
  });

  it('gives no ref when there is none to merge', () => {
    let merged: unknown = 'unset';
    function Probe() {
      merged = useMergeRefs([undefined, null]);
      return null;
    }
    render(<Probe />);
    expect(merged).toBeNull();
  });
});
