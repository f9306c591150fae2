// Keyboard helpers shared by views: global shortcuts must not fire while the
// user types into a form control.

/** True when the key event comes from a text field, select or editable element. */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return (
    !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
  );
}
