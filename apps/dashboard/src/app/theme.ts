import { useEffect, useState } from 'react';

export type ThemeChoice = 'light' | 'dark' | 'system';
const STORAGE_KEY = 'falconer-theme';

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** Light, dark or the system's preference (CSS follows `prefers-color-scheme` when no choice is stored). */
export function useTheme(): [ThemeChoice, () => void] {
  const [choice, setChoice] = useState<ThemeChoice>(stored);
  useEffect(() => {
    const root = document.documentElement;
    if (choice === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', choice);
    try {
      if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, [choice]);
  const cycle = (): void => {
    const systemDark = window.matchMedia('(prefers-color-scheme: dark)').matches;
    const effective = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
    setChoice(effective === 'dark' ? 'light' : 'dark');
  };
  return [choice, cycle];
}
