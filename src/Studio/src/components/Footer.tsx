export function Footer() {
  return (
    <footer className="footer">
      The Studio uses only essential storage: your sign-in tokens stay in this browser tab&apos;s session storage and
      are gone when you close it. No tracking cookies. <a href="/privacy">Privacy policy</a>
    </footer>
  );
}
