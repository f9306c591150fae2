// A view that is not built yet: says so plainly.
export function PlaceholderView({ title }: { title: string }) {
  return (
    <div class="placeholder-view">
      <h2>{title}</h2>
      <p>This view is not available in this build yet.</p>
    </div>
  );
}
