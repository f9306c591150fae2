import { describe, expect, it } from 'vitest';
import type { WaveRequest, WaveResponse } from '../../api/waveform';
import { sessionId } from '../../state/session';
import { applyUrl, currentQuery } from '../../state/url_state';
import { TimingController } from './controller';
import { applyPendingLaneFocus, registerLaneFocusUrl } from './lane_focus';

// Every signal constant at 1: the controller's cache has data to ask for (it draws no frame here).
const fetcher = (req: WaveRequest): Promise<WaveResponse> =>
  Promise.resolve({
    start: req.start,
    end: req.end,
    width: req.width,
    signals: req.signals.map((key) => ({ key, type: 'boolean' as const, initial: 1, changes: { t: new Float64Array(0), v: [] }, columns: null })),
  });

const newController = () => new TimingController({ fetcher, atTime: () => Promise.resolve(new Map()), onError: (e) => { throw e; } });
const lane = () => new URLSearchParams(currentQuery('')).get('lane');

describe('the focused lane in the address', () => {
  let diagram: { id: string; ctl: TimingController } | null = null;
  registerLaneFocusUrl(() => diagram);

  it('keeps a link lane until the diagram of its session exists, then focuses it', () => {
    sessionId.value = 's1';
    applyUrl(new URLSearchParams('session=s1&lane=LC-01::ALARM_CODE'));
    expect(lane()).toBe('LC-01::ALARM_CODE');
    const ctl = newController();
    applyPendingLaneFocus(ctl, 's1');
    diagram = { id: 's1', ctl };
    expect(ctl.focusSig.value).toBe('LC-01::ALARM_CODE');
    expect(lane()).toBe('LC-01::ALARM_CODE');
  });

  it('writes the focus as it changes and applies Back/Forward at once', () => {
    const ctl = diagram!.ctl;
    ctl.setFocus('B1::STATE');
    expect(lane()).toBe('B1::STATE');
    applyUrl(new URLSearchParams('session=s1&lane=B1::I_ERROR'));
    expect(ctl.focusSig.value).toBe('B1::I_ERROR');
    // An entry with no lane keeps the focus.
    applyUrl(new URLSearchParams('session=s1'));
    expect(ctl.focusSig.value).toBe('B1::I_ERROR');
    ctl.setFocus(null);
    expect(lane()).toBeNull();
  });

  it("does not give a link's lane to another session's diagram", () => {
    applyUrl(new URLSearchParams('session=s2&lane=X::Y'));
    const ctl = diagram!.ctl;
    applyPendingLaneFocus(ctl, 's1');
    expect(ctl.focusSig.value).toBeNull();
    const other = newController();
    applyPendingLaneFocus(other, 's2');
    expect(other.focusSig.value).toBe('X::Y');
  });
});
