// Box colours. By package: one stable hue per package (or file, or name when neither is known), so
// the same library has the same colour in every profile and view. By heat: how much of the profile
// the function itself spends (its self share), pale for cold, saturated red for hot.
// Lightness follows the theme so labels stay readable: light boxes with dark text on light themes,
// dark boxes with light text on dark and high-contrast ones.

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface BoxColour {
  fill: string;
  text: string;
}

/** VS Code puts the theme kind on <body> as a class. */
export function themeKindOf(classes: { contains(token: string): boolean }): ThemeKind {
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}

/** FNV-1a, 32 bits: a stable hash (the same key gets the same colour in every session). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const isLight = (t: ThemeKind): boolean => t === 'light' || t === 'high-contrast-light';

function textOn(theme: ThemeKind): string {
  return isLight(theme) ? '#1e1e1e' : '#f3f3f3';
}

/** A hue from the key's hash, spread by the golden angle so neighbouring hashes differ visibly. */
export function packageHue(key: string): number {
  return Math.round((hashString(key) * 137.508) % 360);
}

export function packageColour(key: string, theme: ThemeKind): BoxColour {
  const hue = packageHue(key);
  // Saturation and lightness vary a little with the hash too, so two close hues still differ.
  const h = hashString(key) >>> 8;
  const sat = 45 + (h % 20);
  let light: number;
  switch (theme) {
    case 'light':
      light = 72 + ((h >>> 5) % 12);
      break;
    case 'high-contrast-light':
      light = 82 + ((h >>> 5) % 8);
      break;
    case 'high-contrast':
      light = 18 + ((h >>> 5) % 8);
      break;
    default:
      light = 30 + ((h >>> 5) % 12);
  }
  return { fill: `hsl(${hue}, ${sat}%, ${light}%)`, text: textOn(theme) };
}

/** heat in [0, 1] (clamped): 0 is yellow and pale, 1 red and saturated. */
export function heatColour(heat: number, theme: ThemeKind): BoxColour {
  const t = Number.isFinite(heat) ? Math.min(1, Math.max(0, heat)) : 0;
  const hue = Math.round(55 * (1 - t));
  const sat = Math.round(35 + 60 * t);
  const light = isLight(theme)
    ? Math.round(theme === 'light' ? 85 - 25 * t : 90 - 20 * t)
    : Math.round(theme === 'dark' ? 28 + 10 * t : 16 + 10 * t);
  return { fill: `hsl(${hue}, ${sat}%, ${light}%)`, text: textOn(theme) };
}

/**
 * Heat of a function: its self weight over the largest self weight of any function, on a square
 * root scale so that the few hottest functions do not wash out the rest.
 */
export function heatOf(self: number, maxSelf: number): number {
  if (!(maxSelf > 0) || !(self > 0)) return 0;
  return Math.sqrt(Math.min(1, self / maxSelf));
}

/** The key a frame is coloured by: its package, else its file, else its name. */
export function colourKey(pkg: string | undefined, file: string | undefined, name: string): string {
  if (pkg) return pkg;
  if (file) return file;
  return name;
}
