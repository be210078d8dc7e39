/**
 * Issue 13: colour contrast fixed at its cause, in the theme. WCAG 2 AA asks 4.5:1 for body-size
 * text; these are the pairs axe flagged (dimmed text, white on the primary and coral fills, the
 * text of light badges and the active navigation link on their tinted backgrounds).
 */
import { DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { cssVariablesResolver, theme } from './theme';

function luminance(color: string): number {
  const rgb = color.startsWith('#')
    ? [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16))
    : (color.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
  const [r = 0, g = 0, b = 0] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const merged = mergeMantineTheme(DEFAULT_THEME, theme);
const variables = cssVariablesResolver(merged).light as Record<string, string>;
const shade = typeof merged.primaryShade === 'object' ? merged.primaryShade.light : 6;

describe('theme contrast', () => {
  it('dimmed text is at least 4.5:1 on white (Mantine gray 6 was 3.3:1)', () => {
    expect(contrast(variables['--mantine-color-dimmed']!, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it.each(['indigo', 'red', 'coral'])(
    'white on the filled %s (buttons, the refunded badge) is at least 4.5:1',
    (color) => {
      expect(contrast('#ffffff', merged.colors[color]![shade]!)).toBeGreaterThanOrEqual(4.5);
    },
  );

  it.each(Object.keys(merged.colors))(
    'light-variant text of %s is at least 4.5:1 on its light and hover backgrounds',
    (color) => {
      const text = variables[`--mantine-color-${color}-light-color`]!;
      expect(contrast(text, merged.colors[color]![1]!)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(text, merged.colors[color]![2]!)).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('gives every modal and drawer close button a name by default', () => {
    for (const component of ['Modal', 'Drawer', 'Notification']) {
      const props = merged.components[component]?.defaultProps as
        { closeButtonProps?: { 'aria-label'?: string } } | undefined;
      expect(props?.closeButtonProps?.['aria-label']).toMatch(/^Close/);
    }
  });
});
