import { UserMenu } from "../components/UserMenu.tsx";
import ThemeToggle from "../islands/ThemeToggle.tsx";
import type { LayoutProps } from "../server/pages/page.ts";

const navigation = [
  { href: "/", label: "Dashboard" },
  { href: "/analytics", label: "Analytics" },
  { href: "/inventory", label: "Inventory" },
  { href: "/transactions", label: "Transactions" },
  { href: "/products", label: "Products" },
  { href: "/alerts", label: "Alerts" },
  { href: "/reports", label: "Reports" },
];

/** The frame around every page: navigation, the signed-in user, the content. */
export default function Layout({ title, url, caller, children }: LayoutProps) {
  const current = (href: string) => href === "/" ? url.pathname === "/" : url.pathname.startsWith(href);
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/">TechMart Analytics</a>
        {caller && (
          <nav aria-label="Main">
            <ul class="nav">
              {navigation.map((item) => (
                <li key={item.href}>
                  <a href={item.href} aria-current={current(item.href) ? "page" : undefined}>{item.label}</a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="topbar-tools">
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
