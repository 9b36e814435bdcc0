/**
 * UI strings: Vietnamese first (default), English second. Language comes from `?lang=`, else the
 * operator's last choice (localStorage), else Vietnamese.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { useAppStore, type Lang } from '../session/store.js';
import en from './en.json';
import vi from './vi.json';

const STORAGE_KEY = 'ioc-wall.lang';

export const languages: readonly Lang[] = ['vi', 'en'];

function isLang(value: unknown): value is Lang {
  return value === 'vi' || value === 'en';
}

function storedLang(): Lang | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLang(value) ? value : null;
  } catch {
    return null;
  }
}

export function initI18n(urlLang: string | null): Lang {
  const lang: Lang = isLang(urlLang) ? urlLang : (storedLang() ?? 'vi');
  void i18next.use(initReactI18next).init({
    resources: { vi: { translation: vi }, en: { translation: en } },
    lng: lang,
    fallbackLng: 'vi',
    supportedLngs: ['vi', 'en'],
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyLang(lang);
  return lang;
}

function applyLang(lang: Lang): void {
  document.documentElement.lang = lang;
  useAppStore.setState({ lang });
}

/** Switches language and remembers it for this machine. */
export function setLanguage(lang: Lang): void {
  void i18next.changeLanguage(lang);
  applyLang(lang);
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage may be unavailable (private mode, kiosk policy): the switch still applies now
  }
}

export { i18next };
