// The Home view: upload card, loaded session, parse summary, recent files.
import { useEffect } from 'preact/hooks';
import { session } from '../../state/session';
import { RecentFiles, refreshRecent } from './recent_files';
import { ParseSummary, SessionCard } from './session_card';
import { UploadCard } from './upload_card';

export function HomeView() {
  const status = session.value?.status;
  useEffect(() => {
    void refreshRecent();
  }, [status]);
  return (
    <div class="home" data-testid="home">
      <div class="home-col">
        <UploadCard />
        <RecentFiles />
      </div>
      <div class="home-col">
        {session.value ? (
          <>
            <SessionCard />
            <ParseSummary />
          </>
        ) : (
          <section class="card intro-card">
            <h3>No session loaded</h3>
            <p class="muted">
              Upload a PLC trace or open a recent file. Several files can be merged into one time-ordered view. Press <kbd>?</kbd> for keyboard shortcuts.
            </p>
          </section>
        )}
      </div>
    </div>
  );
}
