import {
  type BadgeFactory,
  createTheme,
  type CSSVariablesResolver,
  darken,
  DEFAULT_THEME,
  type DrawerFactory,
  type ExtendComponent,
  type FactoryPayload,
  type MantineColorsTuple,
  type MantineThemeComponent,
  type ModalFactory,
  type NotificationFactory,
} from '@mantine/core';

/**
 * What `Modal.extend(...)` does, without importing the component: `extend` only types its
 * argument, and importing Modal, Drawer and Notification here would put their code (focus trap,
 * scroll lock, portals) in every page's first load, though pages load them on demand.
 */
const extend = <Payload extends FactoryPayload>(
  input: ExtendComponent<Payload>,
): MantineThemeComponent => input as MantineThemeComponent;

/**
 * The refund colour: the Refund button, refunded badges and the portal's refunded banner. Shade 8
 * is the filled one (primaryShade): #c24a1f keeps white labels at 4.9:1 (#cb5024 was 4.46:1).
 */
const coral: MantineColorsTuple = [
  '#fff0eb',
  '#ffe0d5',
  '#ffbfa8',
  '#ff9d78',
  '#ff8654',
  '#ff7f50',
  '#ff6f3c',
  '#e45c2c',
  '#c24a1f',
  '#b1421a',
];

export const theme = createTheme({
  primaryColor: 'indigo',
  // Filled buttons and badges use shade 8: white on indigo 8 is 5.7:1 and on red 8 4.5:1 (WCAG AA);
  // Mantine's default shade 6 gave 4.3:1 on the primary blue.
  primaryShade: { light: 8, dark: 8 },
  colors: { coral },
  // Picks dark text on light fills such as coral, so labels keep their contrast.
  autoContrast: true,
  defaultRadius: 'md',
  components: {
    // Focus starts on the close button of every modal and drawer: it needs a name (axe button-name).
    // Their title bar is a <header>, which inside a dialog counts as a second banner landmark
    // beside the app's own header: role "none" keeps it a plain container.
    Modal: extend<ModalFactory>({
      defaultProps: {
        closeButtonProps: { 'aria-label': 'Close' },
        attributes: { header: { role: 'none' } },
      },
    }),
    Drawer: extend<DrawerFactory>({
      defaultProps: {
        closeButtonProps: { 'aria-label': 'Close' },
        attributes: { header: { role: 'none' } },
      },
    }),
    // A notification's close button too (the toast after a refund, a payment...).
    Notification: extend<NotificationFactory>({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close notification' } },
    }),
    // A status is a word or two: it is never cut to "REF…", whatever room the column leaves.
    Badge: extend<BadgeFactory>({
      styles: {
        root: { overflow: 'visible', minWidth: 'max-content', flexShrink: 0 },
        label: { overflow: 'visible', textOverflow: 'clip' },
      },
    }),
  },
});

/**
 * Text colours of the light scheme, fixed where they are defined so every component follows:
 * - dimmed text (captions, hints, dates) in gray 7: Mantine's gray 6 is 3.3:1 on white, below the
 *   4.5:1 WCAG AA asks of body-size text; gray 7 is 8.2:1 and still reads as secondary;
 * - the text of light and subtle variants (status badges, the active navigation link, the A–Z
 *   letters, alerts): Mantine writes shade 9 on shade 1 or 2 of the same colour, 3.8:1 for green
 *   and 4.1:1 for indigo on hover; shade 9 darkened by 35% is 5:1 or more for every colour.
 */
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': DEFAULT_THEME.colors.gray[7],
    ...Object.fromEntries(
      Object.entries(resolved.colors).map(([name, shades]) => [
        `--mantine-color-${name}-light-color`,
        darken(shades[9], 0.35),
      ]),
    ),
  },
  dark: {},
});
