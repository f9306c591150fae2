// The app shell: header (name, session, Sync, theme, the command palette,
// Help, server dot), the view tabs with a parsing badge, the error banner,
// the active view, and Ctrl+K (the command palette) over every view.

import { useEffect, useErrorBoundary } from 'preact/hooks';
import { signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { activeTab, isTabId, type TabId } from '../state/tabs';
import { tabs } from './views';
import { errorMessage, theme } from '../state/ui';
import { isParsing, serverStatus, serverVersion, session, sessionId, sessionName } from '../state/session';
import { syncEnabled } from '../state/selection';
import { HelpDialog } from './help_dialog';
import { CommandPalette } from './command_palette';
import { registerCommands } from '../state/commands';
import { registerShortcuts } from '../state/shortcuts';
import { isTyping } from '../widgets/keyboard';

const helpOpen = signal(false);
const paletteOpen = signal(false);

export function openHelp(): void {
  helpOpen.value = true;
}

registerShortcuts([
  { keys: 'Ctrl+K', action: 'Command palette: find a signal (add it as a lane), device, view or action by name', scope: 'Global' },
  { keys: '↑ ↓ / Enter / Esc', action: 'Move through the results / run the selected one / close', scope: 'Command palette' },
  { keys: '> …', action: 'Search the actions and views only', scope: 'Command palette' },
]);

registerCommands([
  { id: 'app.help', label: 'Keyboard shortcuts', scope: 'Help', keys: '?', run: openHelp },
  { id: 'app.theme', label: 'Toggle dark theme', scope: 'Appearance', run: () => (theme.value = theme.value === 'light' ? 'dark' : 'light') },
  { id: 'app.sync', label: 'Toggle Sync of the cursor across views', scope: 'Views', run: () => (syncEnabled.value = !syncEnabled.value) },
]);


export function Shell() {
  useEffect(() => {
    document.documentElement.dataset.theme = theme.value;
  }, [theme.value]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Ctrl+K also while typing (as in the editors), never with Shift or Alt.
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && (e.key === 'k' || e.key === 'K')) {
        e.preventDefault();
        helpOpen.value = false;
        paletteOpen.value = !paletteOpen.value;
        return;
      }
      if (paletteOpen.value) return;
      if (e.altKey && !e.ctrlKey && /^[1-9]$/.test(e.key)) {
        const t = tabs()[Number(e.key) - 1];
        if (t) {
          activeTab.value = t.id;
          e.preventDefault();
        }
      } else if (e.key === '?' && !isTyping(e)) {
        helpOpen.value = !helpOpen.value;
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const active = tabs().find((t) => t.id === activeTab.value) ?? tabs()[0]!;
  const View = active.component;
  const s = session.value;
  return (
    <div class="shell">
      <header class="app-header">
        <div class="brand">
          <svg width="22" height="22" viewBox="0 0 16 16" aria-hidden="true">
            <rect width="16" height="16" rx="3" fill="#22375f" />
            <path d="M2 11h3V5h3v6h3V5h3" stroke="#4da3ff" stroke-width="1.6" fill="none" />
          </svg>
          <span class="brand-name">plcscope</span>
        </div>
        <div class="header-session" title={sessionId.value ?? ''} data-testid="session-name">
          {sessionName.value ? (
            <>
              <span class="session-label">{sessionName.value}</span>
              {s && s.status === 'complete' && (
                <span class="session-meta">{s.entryCount.toLocaleString('en-US')} entries</span>
              )}
            </>
          ) : (
            <span class="session-none">No session loaded</span>
          )}
        </div>
        <div class="header-actions">
          <label class="toggle" title="Synchronize the cursor, the selected row and the map time across views">
            <input
              type="checkbox"
              checked={syncEnabled.value}
              onChange={(e) => (syncEnabled.value = (e.target as HTMLInputElement).checked)}
            />
            <span>Sync</span>
          </label>
          <button
            class="btn ghost"
            title="Switch between light and dark theme"
            onClick={() => (theme.value = theme.value === 'light' ? 'dark' : 'light')}
          >
            {theme.value === 'light' ? 'Dark' : 'Light'}
          </button>
          <button class="btn ghost" onClick={() => (paletteOpen.value = true)} title="Find a signal, device, view or action (Ctrl+K)" data-testid="palette-open">
            ⌕ Ctrl+K
          </button>
          <button class="btn ghost" onClick={openHelp} title="Keyboard shortcuts (?)">
            Help
          </button>
          <span
            class={`status-dot ${serverStatus.value}`}
            data-testid="server-status"
            title={
              serverStatus.value === 'ok'
                ? `Server connected${serverVersion.value ? ` (version ${serverVersion.value})` : ''}`
                : serverStatus.value === 'down'
                  ? 'Server unreachable'
                  : 'Checking server…'
            }
          />
        </div>
      </header>
      <nav class="tab-bar" role="tablist">
        {tabs().map((t) => (
          <button
            key={t.id}
            role="tab"
            data-tab={t.id}
            aria-selected={t.id === active.id}
            class={`tab ${t.id === active.id ? 'active' : ''}`}
            onClick={() => (activeTab.value = t.id as TabId)}
            title={t.shortcut}
          >
            {t.label}
            {t.needsSession && isParsing.value && (
              <span class="badge parsing" data-testid="parsing-badge">
                {Math.floor(s?.progress ?? 0)}%
              </span>
            )}
          </button>
        ))}
      </nav>
      {errorMessage.value && (
        <div class="error-banner" role="alert" data-testid="error-banner">
          <span class="error-icon">!</span>
          <span class="error-text">{errorMessage.value}</span>
          <button class="btn ghost small" onClick={() => (errorMessage.value = null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      <main class="view" data-view={active.id}>
        <ViewBoundary key={active.id}>
          <View />
        </ViewBoundary>
      </main>
      {helpOpen.value && <HelpDialog onClose={() => (helpOpen.value = false)} />}
      {paletteOpen.value && <CommandPalette onClose={() => (paletteOpen.value = false)} />}
    </div>
  );
}

/** Keeps a failing view from blanking the page: says what broke instead. */
function ViewBoundary({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary();
  if (error) {
    return (
      <div class="placeholder-view" role="alert">
        <h2>This view stopped because of an error</h2>
        <p class="error-text">{error instanceof Error ? error.message : String(error)}</p>
        <button class="btn" onClick={reset}>
          Show the view again
        </button>
      </div>
    );
  }
  return <>{children}</>;
}

export { isTabId };
