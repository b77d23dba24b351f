// Settings live on the device (localStorage), so a shared household tablet keeps its large text for everyone.
import { effect, signal } from "@preact/signals";
import { rememberLang } from "./device-lang";
import { lang, loadLanguage, type Lang } from "./i18n";
import { isLang } from "./i18n/languages";

export type TextSize = "standard" | "large" | "xlarge";
export interface Settings {
  size: TextSize;
  contrast: boolean;
  speech: boolean;
  /** 「やさしい日本語で読む」: a circular's やさしい日本語 version first, where it has one. */
  easy: boolean;
  /** 「ふりがなを表示」: ruby over kanji in titles and bodies, where the circular has readings (docs/adr/0016). */
  furigana: boolean;
  lang: Lang;
  welcomed: boolean;
}

const KEY = "kairan.settings";
const defaults: Settings = {
  size: "large",
  contrast: false,
  speech: false,
  easy: false,
  furigana: false,
  lang: "ja",
  welcomed: false,
};

function load(): Settings {
  try {
    const raw = localStorage.getItem(KEY);
    const s: Settings = raw ? { ...defaults, ...(JSON.parse(raw) as Partial<Settings>) } : defaults;
    // A language this version does not know (a setting from a newer or older one) reads as Japanese.
    return isLang(s.lang) ? s : { ...s, lang: "ja" };
  } catch {
    return defaults;
  }
}

export const settings = signal<Settings>(load());

export function updateSettings(patch: Partial<Settings>): void {
  settings.value = { ...settings.value, ...patch };
}

/**
 * Switches the interface language: its file first (a chunk of its own), then the setting, so the screen changes
 * once, straight into the new language. Rejects (nothing changed) when the file cannot be loaded (offline before
 * it was ever cached).
 */
export async function chooseLanguage(l: Lang): Promise<void> {
  await loadLanguage(l);
  updateSettings({ lang: l });
}

/** Whether this browser can read aloud at all; the setting and button are hidden where it cannot. */
export const speechSupported = typeof window !== "undefined" && "speechSynthesis" in window;

// The service worker writes notifications in the device's language: tell it at start and on every change.
let toldWorker: Lang | undefined;

// Apply to the page and persist on every change.
effect(() => {
  const s = settings.value;
  lang.value = s.lang;
  const root = document.documentElement;
  root.dataset.size = s.size;
  root.dataset.contrast = s.contrast ? "high" : "normal";
  root.dataset.furigana = s.furigana ? "on" : "off";
  root.lang = s.lang;
  if (toldWorker !== s.lang) {
    toldWorker = s.lang;
    void rememberLang(s.lang);
  }
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // private mode or full storage: the settings still apply for this visit
  }
});
