// The Map view's playback bar: back/forward 10 s, play/pause, speed, the time
// slider with the open files' bookmarks, the playback time and a bookmark
// button. Reads map_state.ts; the controller does the seeking.

import { formatMs } from '../../base/format';
import { addBookmark, bookmarks } from '../../state/bookmarks';
import { clock, playTime, playing, range, speed } from './map_state';
import { kSpeeds } from './playback';

export function PlaybackBar({ onSeek, onPlay }: { onSeek: (t: number) => void; onPlay: () => void }) {
  const r = range.value;
  const t = playTime.value;
  if (!r) return <div class="mv-playback mv-muted">Open a session or a carrier log to play the map over time.</div>;
  const [t0, t1] = r;
  const span = t1 - t0 || 1;
  return (
    <div class="mv-playback">
      <button onClick={() => onSeek(clock.t - 10_000)} title="Back 10 s" data-testid="mv-back">−10 s</button>
      <button class="primary" data-testid="mv-play" onClick={onPlay}>
        {playing.value ? 'Pause' : 'Play'}
      </button>
      <button onClick={() => onSeek(clock.t + 10_000)} title="Forward 10 s" data-testid="mv-fwd">+10 s</button>
      <select
        value={String(speed.value)}
        onChange={(e) => {
          speed.value = Number((e.target as HTMLSelectElement).value);
          clock.setSpeed(speed.value);
        }}
        aria-label="Speed"
        data-testid="mv-speed"
      >
        {kSpeeds.map((s) => (
          <option key={s} value={String(s)}>
            {s}×
          </option>
        ))}
      </select>
      <div class="mv-slider">
        <input
          type="range"
          min={0}
          max={Math.max(1, Math.round(t1 - t0))}
          step={1}
          value={Math.round(t - t0)}
          onInput={(e) => onSeek(t0 + Number((e.target as HTMLInputElement).value))}
          aria-label="Playback position"
          data-testid="mv-slider"
        />
        {bookmarks.value
          .filter((b) => b.time >= t0 && b.time <= t1)
          .map((b) => (
            <span
              key={b.id}
              class="mv-bookmark"
              style={{ left: `${((b.time - t0) / span) * 100}%` }}
              title={`${b.name} — ${formatMs(b.time)}`}
              onClick={() => onSeek(b.time)}
            />
          ))}
      </div>
      <span class="mv-time" data-testid="mv-time">{formatMs(t)}</span>
      <button onClick={() => addBookmark(clock.t)} title="Bookmark the playback time (Ctrl+B)">★</button>
    </div>
  );
}
