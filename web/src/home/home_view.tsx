// The Home view: upload card, loaded session, recent files, parse summary.
export function HomeView() {
  return <div class="home">Home</div>;
}
