// Small persistence helpers over localStorage: JSON in, JSON out, and a
// fallback when storage is missing, full or holds something unreadable.
// Synchronous; the page's single thread.

export function loadJson<T>(key: string, fallback: T): T {
  try {
    const s = globalThis.localStorage?.getItem(key);
    return s ? (JSON.parse(s) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function saveJson(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the setting lives for this page only.
  }
}
