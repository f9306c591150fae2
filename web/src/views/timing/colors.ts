// Colors of the timing diagram: the theme's drawing colors and the color of
// a value box (equal values get equal colors, in every lane and every frame:
// the color is a hash of the value's text). Pure apart from reading CSS.

import type { WaveValue } from '../../api/waveform';

export interface TimingTheme {
  background: string;
  laneAlt: string;
  laneFocus: string;
  separator: string;
  groupBg: string;
  text: string;
  muted: string;
  axisBg: string;
  grid: string;
  wave: string;
  waveFill: string;
  dense: string;
  boxStroke: string;
  boxText: string;
  boxFills: readonly string[];
  busy: string;
  analog: string;
  envelope: string;
  gap: string;
  none: string;
  cursor: string;
  hover: string;
  measure: string;
  measureEdge: string;
  bookmark: string;
  syncHover: string;
}

const kLight: TimingTheme = {
  background: '#ffffff',
  laneAlt: '#f7f9fb',
  laneFocus: '#eaf2fd',
  separator: '#e3e7ec',
  groupBg: '#eef1f5',
  text: '#1d2633',
  muted: '#6b7685',
  axisBg: '#f6f8fa',
  grid: 'rgba(27, 42, 74, 0.07)',
  wave: '#0f7b45',
  waveFill: 'rgba(22, 163, 90, 0.16)',
  dense: '#0f7b45',
  boxStroke: 'rgba(29, 38, 51, 0.55)',
  boxText: '#16202c',
  boxFills: ['#cfe3fb', '#d4f0dc', '#fde2c4', '#e6dafa', '#fbd5dc', '#d2f1f0', '#f4ecc0', '#dde3ea', '#f9d8f1', '#d9ecc7', '#c9dcf0', '#f6dccf'],
  busy: 'rgba(58, 74, 98, 0.78)',
  analog: '#6d3fc0',
  envelope: 'rgba(109, 63, 192, 0.22)',
  gap: 'rgba(120, 132, 150, 0.16)',
  none: 'rgba(107, 118, 133, 0.45)',
  cursor: '#2f7de1',
  hover: 'rgba(29, 38, 51, 0.55)',
  measure: 'rgba(47, 125, 225, 0.10)',
  measureEdge: '#2f7de1',
  bookmark: '#e8590c',
  syncHover: '#c2185b',
};

const kDark: TimingTheme = {
  ...kLight,
  background: '#151c26',
  laneAlt: '#19212c',
  laneFocus: '#1d2c42',
  separator: '#263241',
  groupBg: '#1f2935',
  text: '#dbe3ec',
  muted: '#8b98a8',
  axisBg: '#1b2430',
  grid: 'rgba(219, 227, 236, 0.06)',
  wave: '#4ade80',
  waveFill: 'rgba(74, 222, 128, 0.16)',
  dense: '#4ade80',
  boxStroke: 'rgba(219, 227, 236, 0.45)',
  boxText: '#e8eef5',
  boxFills: ['#23456e', '#1f5a3c', '#6b4a1e', '#4a3a72', '#6e2f3c', '#1f5c5a', '#5f5720', '#3a4654', '#6a2f60', '#3f5a27', '#2b4a6b', '#6a4231'],
  busy: 'rgba(170, 186, 206, 0.55)',
  analog: '#b794f6',
  envelope: 'rgba(183, 148, 246, 0.25)',
  gap: 'rgba(139, 152, 168, 0.14)',
  none: 'rgba(139, 152, 168, 0.5)',
  cursor: '#4d9bf0',
  hover: 'rgba(219, 227, 236, 0.55)',
  measure: 'rgba(77, 155, 240, 0.14)',
  measureEdge: '#4d9bf0',
  bookmark: '#ff922b',
  syncHover: '#f06292',
};

export function timingTheme(dark: boolean): TimingTheme {
  return dark ? kDark : kLight;
}

// FNV-1a over the value's text: stable across lanes, frames and sessions.
export function valueColorIndex(v: WaveValue, paletteSize: number): number {
  const s = v === null ? '' : typeof v === 'number' ? String(v) : v;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % paletteSize;
}
