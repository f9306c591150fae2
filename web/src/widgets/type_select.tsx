// A select of one signal type, or "All types" (the empty value).
import { kSignalTypes, type SignalType } from '../api/types';

export function TypeSelect(props: { value: SignalType | ''; onChange: (t: SignalType | '') => void; testId?: string }) {
  return (
    <select
      value={props.value}
      title="Filter by signal type"
      data-testid={props.testId}
      onChange={(e) => props.onChange((e.target as HTMLSelectElement).value as SignalType | '')}
    >
      <option value="">All types</option>
      {kSignalTypes.map((t) => (
        <option key={t} value={t}>
          {t}
        </option>
      ))}
    </select>
  );
}
