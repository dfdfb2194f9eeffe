import ImportWizard from "../../islands/ImportWizard.tsx";

export const config = { title: "Import", minRole: "admin" } as const;

export function load() {
  return Promise.resolve({});
}

export default function ImportPage() {
  return (
    <>
      <p class="muted">
        Bring a shop's data in: our own CSV files, an export from Shopify or WooCommerce, or any CSV with a
        mapping. A dry run shows what would be created and which lines would be rejected, and why; the import
        then applies each file whole or not at all, and importing the same file again adds nothing.
      </p>
      <ImportWizard />
    </>
  );
}
