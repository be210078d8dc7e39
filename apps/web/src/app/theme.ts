import { createTheme, type MantineColorsTuple } from '@mantine/core';

/** The refund colour: the Refund button, refunded badges and the portal's refunded banner. */
const coral: MantineColorsTuple = [
  '#fff0eb',
  '#ffe0d5',
  '#ffbfa8',
  '#ff9d78',
  '#ff8654',
  '#ff7f50',
  '#ff6f3c',
  '#e45c2c',
  '#cb5024',
  '#b1421a',
];

export const theme = createTheme({
  primaryColor: 'indigo',
  colors: { coral },
  // Picks dark text on light fills such as coral, so labels keep their contrast.
  autoContrast: true,
  defaultRadius: 'md',
});
