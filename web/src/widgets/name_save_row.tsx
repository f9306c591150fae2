// A name box and its Save button, as the menus that keep named things have
// (lane layouts, filter sets): Enter in the box saves; Save is off while the
// name is blank or `canSave` says no. `testId` names both: `<testId>-name`,
// `<testId>-save`.

export function NameSaveRow(props: {
  name: string;
  onName: (name: string) => void;
  onSave: () => void;
  placeholder: string;
  /** What Save keeps (the button's tooltip). */
  title: string;
  testId: string;
  canSave?: boolean;
}) {
  const enabled = props.name.trim() !== '' && props.canSave !== false;
  return (
    <div class="input-group">
      <input
        type="text"
        placeholder={props.placeholder}
        value={props.name}
        maxLength={100}
        data-testid={`${props.testId}-name`}
        onInput={(e) => props.onName((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => e.key === 'Enter' && enabled && props.onSave()}
      />
      <button class="btn small" disabled={!enabled} onClick={props.onSave} data-testid={`${props.testId}-save`} title={props.title}>
        Save
      </button>
    </div>
  );
}
