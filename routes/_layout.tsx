import { UserMenu } from "../components/UserMenu.tsx";
import MenuButton from "../islands/MenuButton.tsx";
import ThemeToggle from "../islands/ThemeToggle.tsx";
import { type Role, roleAtLeast } from "../server/trpc/roles.ts";
import type { LayoutProps } from "../server/http/pages/page.ts";

// Each entry names the least role that may open it, so nobody is shown a link that answers 403
const navigation: { href: string; label: string; minRole: Role }[] = [
  { href: "/", label: "Dashboard", minRole: "viewer" },
  { href: "/analytics", label: "Analytics", minRole: "viewer" },
  { href: "/inventory", label: "Inventory", minRole: "viewer" },
  { href: "/transactions", label: "Transactions", minRole: "viewer" },
  { href: "/products", label: "Products", minRole: "viewer" },
  { href: "/alerts", label: "Alerts", minRole: "viewer" },
  { href: "/fraud", label: "Fraud", minRole: "analyst" },
  { href: "/reports", label: "Reports", minRole: "viewer" },
  { href: "/admin/users", label: "Admin", minRole: "admin" },
];

/** The frame around every page: navigation, the signed-in user, the content. */
export default function Layout({ title, url, caller, children }: LayoutProps) {
  // every admin page (users, tokens, audit, jobs) lights up "Admin"
  const section = (href: string) => href.startsWith("/admin/") ? "/admin/" : href;
  const current = (href: string) =>
    href === "/" ? url.pathname === "/" : url.pathname.startsWith(section(href));
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/">TechMart Analytics</a>
        {caller && (
          <nav aria-label="Main" id="main-nav">
            <ul class="nav">
              {navigation.filter((item) => roleAtLeast(caller.role, item.minRole)).map((item) => (
                <li key={item.href}>
                  <a href={item.href} aria-current={current(item.href) ? "page" : undefined}>{item.label}</a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="topbar-tools">
          {caller && <MenuButton controls="main-nav" />}
          <ThemeToggle initial="system" />
          {caller && <UserMenu caller={caller} />}
        </div>
      </header>
      <main id="main" class="page">
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}
