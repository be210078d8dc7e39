/**
 * What Mantine's AppShell header, footer and aside take from react-remove-scroll: the class names
 * that keep fixed elements clear of the scrollbar while a modal locks scrolling. The Vite build
 * points their import of 'react-remove-scroll' here (see vite.plugins.ts), so the shell's first
 * load does not carry the scroll-locking component itself (~2.3 kB gzip), which modals and drawers
 * still import, when they load. src/vendor/vendor.test.ts checks the names against the library.
 */
export const RemoveScroll = {
  classNames: {
    zeroRight: 'right-scroll-bar-position',
    fullWidth: 'width-before-scroll-bar',
  },
} as const;
